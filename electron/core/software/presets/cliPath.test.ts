// Finding CLIs in a PATH-less desktop launch: search folders, executables, login shell PATH.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { childPath, loginShellPath, resolveCli, searchDirs } from './cliPath'
import { caught, tempDirs } from '../runs/testing'

const temps = tempDirs()
afterEach(temps.removeAll)
const temp = (): string => temps.make('factory-cli-')

function script(dir: string, name: string, body: string, mode = 0o755): string {
  const file = join(dir, name)
  writeFileSync(file, `#!/bin/sh\n${body}\n`)
  chmodSync(file, mode)
  return file
}

const unix = process.platform !== 'win32'

describe.runIf(unix)('resolveCli', () => {
  it('finds an executable and skips a non-executable file of the same name', () => {
    const [first, second] = [temp(), temp()]
    script(first, 'claude', 'echo no', 0o644)
    const found = script(second, 'claude', 'echo hi')
    expect(resolveCli('claude', { dirs: [first, second] })).toBe(found)
  })

  it('says which folders were searched and how to set --bin', () => {
    const [first, second] = [temp(), temp()]
    const error = caught(() => resolveCli('claude', { dirs: [first, second], agent: 'bob' }))
    expect(error).toMatchObject({ code: 'AgentCliMissing' })
    expect(error.message).toContain('"claude" was not found')
    expect(error.message).toContain(`Searched: ${first}, ${second}`)
    expect(error.message).toContain('factory agent set bob --bin /path/to/claude')
  })

  it('uses an explicit --bin as is, and says clearly when it is missing or not executable', () => {
    const dir = temp()
    const bin = script(dir, 'my-claude', 'echo hi')
    expect(resolveCli('claude', { dirs: [], explicitPath: bin })).toBe(bin)
    const missing = join(dir, 'nope', 'claude')
    expect(caught(() => resolveCli('claude', { dirs: [dir], explicitPath: missing })).message).toBe(
      `the --bin path ${missing} does not exist`,
    )
    const plain = script(dir, 'plain', 'x', 0o644)
    expect(caught(() => resolveCli('claude', { dirs: [], explicitPath: plain })).message).toContain(
      'is not an executable file',
    )
  })

  it('treats a name with a slash as a path', () => {
    const bin = script(temp(), 'codex', 'echo hi')
    expect(resolveCli(bin, { dirs: [] })).toBe(bin)
  })
})

describe('searchDirs', () => {
  it('puts the env PATH first, then the login PATH, then install folders, without duplicates', () => {
    const dirs = searchDirs({
      env: { PATH: '/a/bin:/usr/bin::relative/bin' },
      platform: 'linux',
      home: '/home/u',
      loginPath: '/login/bin:/a/bin:/home/u/.local/bin',
    })
    expect(dirs.slice(0, 4)).toEqual(['/a/bin', '/usr/bin', '/login/bin', '/home/u/.local/bin'])
    expect(dirs).toContain('/home/u/.claude/local')
    expect(dirs).toContain('/opt/homebrew/bin')
    expect(dirs).not.toContain('relative/bin')
    expect(new Set(dirs).size).toBe(dirs.length)
    expect(dirs.at(-1)).toBe('/home/u/.local/share/pnpm')
  })

  it('lists nvm versions newest first', () => {
    const home = temp()
    for (const v of ['v18.20.0', 'v20.9.0', 'v20.10.0']) {
      mkdirSync(join(home, '.nvm', 'versions', 'node', v, 'bin'), { recursive: true })
    }
    const dirs = searchDirs({ env: {}, platform: 'linux', home })
    const nvm = dirs.filter((dir) => dir.includes('.nvm'))
    expect(nvm.map((dir) => dir.split('/').at(-2))).toEqual(['v20.10.0', 'v20.9.0', 'v18.20.0'])
  })

  it('joins folders into a PATH for the child', () => {
    expect(childPath(['/a', '/b'], 'linux')).toBe('/a:/b')
    expect(childPath(['C:\\a', 'C:\\b'], 'win32')).toBe('C:\\a;C:\\b')
  })
})

describe.runIf(unix)('loginShellPath', () => {
  it('reads the PATH between the markers and ignores rc noise', async () => {
    const shell = script(
      temp(),
      'fake-shell',
      'echo "Welcome! PATH=/not/this"\nPATH=/login/bin:/usr/bin:/bin\nexport PATH\nexec /bin/sh -c "$2"',
    )
    await expect(loginShellPath({ SHELL: shell }, 'linux')).resolves.toBe(
      '/login/bin:/usr/bin:/bin',
    )
  })

  it('gives up on a shell that hangs or fails', async () => {
    const dir = temp()
    const hangs = script(dir, 'hangs', 'echo noise\nsleep 30')
    const fails = script(dir, 'fails', 'echo broken >&2\nexit 1')
    const started = Date.now()
    await expect(loginShellPath({ SHELL: hangs }, 'linux', { timeoutMs: 300 })).resolves.toBe(
      undefined,
    )
    expect(Date.now() - started).toBeLessThan(5000)
    await expect(loginShellPath({ SHELL: fails }, 'linux')).resolves.toBe(undefined)
    await expect(loginShellPath({ SHELL: join(dir, 'missing') }, 'linux')).resolves.toBe(undefined)
    await expect(loginShellPath({}, 'win32')).resolves.toBe(undefined)
  })
})
