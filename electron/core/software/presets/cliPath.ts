// Finding agent CLIs: an app started from a dock or menu does not inherit the login shell's PATH,
// so `claude` is "not found" unless we ask the login shell and look in the usual install folders.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { accessSync, constants, readdirSync, statSync } from 'node:fs'
import { posix, win32 } from 'node:path'
import { FactoryError } from '../../../../shared/errors'

const OUTPUT_LIMIT = 1024 * 1024

/**
 * The PATH the user's login shell sets up (from .zprofile, .bashrc, nvm, …), or undefined when the
 * shell fails, hangs or is not there. Not on Windows, where GUI apps get the full PATH anyway.
 */
export function loginShellPath(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  opts: { timeoutMs?: number } = {},
): Promise<string | undefined> {
  if (platform === 'win32') return Promise.resolve(undefined)
  const shell =
    env.SHELL && posix.isAbsolute(env.SHELL)
      ? env.SHELL
      : platform === 'darwin'
        ? '/bin/zsh'
        : '/bin/bash'
  // rc files may print banners or set the title; only what sits between the markers is the PATH.
  const marker = `__FACTORY_PATH_${randomBytes(8).toString('hex')}__`
  const script = `printf '%s' '${marker}'"$PATH"'${marker}'`
  return new Promise((done) => {
    let output = ''
    let settled = false
    const finish = (value: string | undefined): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      done(value)
    }
    // Its own process group (and no controlling terminal), so an interactive shell cannot grab the
    // terminal and a timeout can kill everything its rc files started.
    const child = spawn(shell, ['-ilc', script], {
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
    })
    const kill = (): void => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
    const timer = setTimeout(() => {
      kill()
      child.stdout?.destroy()
      finish(undefined)
    }, opts.timeoutMs ?? 3000)
    const parsed = (): string | undefined => {
      const parts = output.split(marker)
      return parts.length >= 3 && parts[1] ? parts[1] : undefined
    }
    child.stdout?.setEncoding('utf8')
    child.stdout?.on('data', (chunk: string) => {
      if (output.length < OUTPUT_LIMIT) output += chunk
      // Done as soon as the PATH is in: something the rc files started may keep the pipe open.
      if (parsed() !== undefined) {
        child.stdout?.destroy()
        finish(parsed())
      }
    })
    child.on('error', () => finish(undefined))
    child.on('close', () => finish(parsed()))
  })
}

function isDir(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false
}

/** Installed node versions under nvm, newest first (v20.10.0 after v20.9.0 would be wrong). */
function nvmBins(nvmDir: string, path: typeof posix): string[] {
  const root = path.join(nvmDir, 'versions', 'node')
  if (!isDir(root)) return []
  const version = (name: string): number[] => name.replace(/^v/, '').split('.').map(Number)
  const newer = (a: string, b: string): number => {
    const [x, y] = [version(a), version(b)]
    for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (y[i] ?? 0) - (x[i] ?? 0)
    return 0
  }
  return readdirSync(root)
    .sort(newer)
    .map((name) => path.join(root, name, 'bin'))
}

/**
 * Where to look for a CLI, in order: the app's PATH, the login shell's PATH, then the folders the
 * common installers use. Relative entries are dropped: they would depend on the run's cwd.
 */
export function searchDirs(opts: {
  env: NodeJS.ProcessEnv
  platform: NodeJS.Platform
  home: string
  loginPath?: string
}): string[] {
  const { env, platform, home } = opts
  const path = platform === 'win32' ? win32 : posix
  const split = (value: string | undefined): string[] => (value ?? '').split(path.delimiter)
  const at = (...parts: string[]): string => path.join(home, ...parts)
  const common =
    platform === 'win32'
      ? [
          path.join(env.APPDATA ?? at('AppData', 'Roaming'), 'npm'),
          at('.local', 'bin'),
          at('.bun', 'bin'),
          at('.cargo', 'bin'),
          at('.volta', 'bin'),
        ]
      : [
          at('.local', 'bin'),
          at('.claude', 'local'),
          at('.npm-global', 'bin'),
          at('.bun', 'bin'),
          at('.cargo', 'bin'),
          at('.volta', 'bin'),
          ...nvmBins(env.NVM_DIR || at('.nvm'), path),
          '/opt/homebrew/bin',
          '/usr/local/bin',
          '/usr/bin',
          '/bin',
          platform === 'darwin' ? at('Library', 'pnpm') : at('.local', 'share', 'pnpm'),
        ]
  const dirs = [...split(env.PATH ?? env.Path), ...split(opts.loginPath), ...common]
  const seen = new Set<string>()
  return dirs.filter((dir) => {
    const key = platform === 'win32' ? dir.toLowerCase() : dir
    if (!dir || !path.isAbsolute(dir) || seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function isExecutable(file: string): boolean {
  if (!statSync(file, { throwIfNoEntry: false })?.isFile()) return false
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

export interface ResolveOptions {
  dirs: string[]
  /** The agent's `--bin`: used as is, never searched. */
  explicitPath?: string
  /** The agent's name, so the not-found message can show the exact command to fix it. */
  agent?: string
  platform?: NodeJS.Platform
  env?: NodeJS.ProcessEnv
}

/** The full path of the CLI `name`, or a FactoryError saying where we looked and how to fix it. */
export function resolveCli(name: string, opts: ResolveOptions): string {
  const platform = opts.platform ?? process.platform
  const path = platform === 'win32' ? win32 : posix
  const checkPath = (file: string, what: string): string => {
    if (!path.isAbsolute(file))
      throw new FactoryError('InvalidInput', `${what} ${file} must be an absolute path`)
    if (!statSync(file, { throwIfNoEntry: false }))
      throw new FactoryError('InvalidInput', `${what} ${file} does not exist`)
    if (!isExecutable(file))
      throw new FactoryError('InvalidInput', `${what} ${file} is not an executable file`)
    return file
  }
  if (opts.explicitPath) {
    try {
      return checkPath(opts.explicitPath, 'the --bin path')
    } catch (error) {
      const fix = opts.agent
        ? `; fix it: factory agent set ${opts.agent} --bin /path/to/${name}`
        : ''
      throw new FactoryError('AgentCliMissing', `${(error as Error).message}${fix}`)
    }
  }
  if (!name.trim()) throw new FactoryError('InvalidInput', 'no CLI name was given')
  if (name.includes('/') || (platform === 'win32' && name.includes('\\')))
    return checkPath(name, 'the CLI path')
  // Windows runs "claude.cmd", not the extensionless shell script npm puts next to it.
  const exts = (opts.env?.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean)
  const candidates =
    platform === 'win32' && !exts.some((ext) => name.toLowerCase().endsWith(ext.toLowerCase()))
      ? exts.map((ext) => name + ext.toLowerCase())
      : [name]
  for (const dir of opts.dirs) {
    for (const candidate of candidates) {
      const file = path.join(dir, candidate)
      if (isExecutable(file)) return file
    }
  }
  const agent = opts.agent ?? '<agent>'
  throw new FactoryError(
    'AgentCliMissing',
    `"${name}" was not found. Searched: ${opts.dirs.join(', ') || '(no folders)'}. ` +
      `Install it, or set its full path: factory agent set ${agent} --bin /path/to/${name}`,
  )
}

/** The PATH for the agent's process, so its own subprocesses (node for claude, git, …) are found. */
export function childPath(dirs: string[], platform: NodeJS.Platform = process.platform): string {
  return dirs.join(platform === 'win32' ? win32.delimiter : posix.delimiter)
}
