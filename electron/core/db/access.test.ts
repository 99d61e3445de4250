// A ledger shared between two users: one owns it, the other may only read it. Real users, real
// processes (the CLI from source run as each user), a real folder both can write.
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDirs } from '../software/runs/testing'

const CLI = fileURLToPath(new URL('../../cli/main.ts', import.meta.url))
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const OWNER = 1 // daemon
const READER = 65534 // nobody

const dirs = tempDirs()
afterEach(() => dirs.removeAll())

/** `factory …` as another user; only root can become one, which is how CI and this sandbox run. */
function run(uid: number, db: string, ...argv: string[]) {
  const result = spawnSync(
    'setpriv',
    [
      `--reuid=${uid}`,
      `--regid=${uid}`,
      '--clear-groups',
      process.execPath,
      '--import',
      TSX,
      CLI,
      ...argv,
    ],
    { encoding: 'utf8', env: { ...process.env, FACTORY_DB: db, HOME: '/tmp' } },
  )
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}

const owners = (dir: string): Record<string, number> =>
  Object.fromEntries(readdirSync(dir).map((name) => [name, statSync(join(dir, name)).uid]))

describe.runIf(process.getuid?.() === 0)('a ledger another user may only read', () => {
  function shared(): { dir: string; db: string } {
    const dir = dirs.make('factory-shared-')
    chmodSync(dir, 0o777)
    const db = join(dir, 'ledger.db')
    expect(run(OWNER, db, 'spec', 'add', '--title', 'Written by its owner').code).toBe(0)
    return { dir, db }
  }

  it('is read without leaving a file beside it, and its owner goes on writing', () => {
    const { dir, db } = shared()
    const before = owners(dir)
    const listed = run(READER, db, 'spec', 'list')
    expect(listed.code, listed.stderr).toBe(0)
    expect(listed.stdout).toContain('Written by its owner')
    expect(owners(dir)).toEqual(before)
    const refused = run(READER, db, 'spec', 'add', '--title', 'Sneaked in')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(`this user can only read the ledger: ${db} cannot be written`)
    expect(Object.values(owners(dir)).includes(READER)).toBe(false)
    const added = run(OWNER, db, 'spec', 'add', '--title', 'Still its owner’s')
    expect(added.code, added.stderr).toBe(0)
    expect(run(READER, db, 'spec', 'list').stdout).toContain('Still its owner’s')
  })

  it('names the file beside the ledger that locks its owner out', () => {
    const { dir, db } = shared()
    // What an older reader left: a shared-memory file of its own, in the ledger's mode.
    writeFileSync(`${db}-shm`, Buffer.alloc(32768))
    execFileSync('chown', [`${READER}:${READER}`, `${db}-shm`])
    chmodSync(`${db}-shm`, 0o644)
    const refused = run(OWNER, db, 'spec', 'add', '--title', 'Locked out')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(
      `${db}-shm cannot be written by this user (it belongs to user ${READER}`,
    )
    // Nothing was written: the owner's spec list still holds only what it had.
    execFileSync('rm', [`${db}-shm`])
    const listed = run(OWNER, db, 'spec', 'list')
    expect(listed.stdout).toContain('Written by its owner')
    expect(listed.stdout).not.toContain('Locked out')
    expect(readdirSync(dir)).toContain('ledger.db')
  })
})
