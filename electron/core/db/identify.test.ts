// A file that is not a ledger is refused untouched; a command that only reads never makes one.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { cliOn } from '../../cli/testing'
import { tempDirs } from '../software/runs/testing'
import { openLedger } from './ledger'

const dirs = tempDirs()
afterEach(() => dirs.removeAll())

const digest = (path: string): string =>
  createHash('sha256').update(readFileSync(path)).digest('hex')

/** Another application's database, as Firefox keeps its history: tables of its own, no WAL. */
function foreignDatabase(dir: string): string {
  const path = join(dir, 'places.sqlite')
  const db = new Database(path)
  db.exec('CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)')
  db.prepare('INSERT INTO moz_places (url) VALUES (?)').run('https://example.org')
  db.close()
  return path
}

describe('opening a ledger', () => {
  it("refuses another application's SQLite database, changing nothing", async () => {
    const dir = dirs.make('factory-foreign-')
    const path = foreignDatabase(dir)
    const before = digest(path)
    expect(() => openLedger({ path })).toThrow(
      /places\.sqlite is not a Factory Stack ledger: it is another application's SQLite database \(tables: moz_places\); nothing was changed/,
    )
    for (const argv of [['spec', 'list'], ['spec', 'add', '--title', 'x'], ['board']]) {
      const result = await cliOn(() => path)(...argv)
      expect(result.code).toBe(1)
      expect(result.stderr).toContain('is not a Factory Stack ledger')
    }
    expect(digest(path)).toBe(before)
    expect(readdirSync(dir)).toEqual(['places.sqlite'])
  })

  it('refuses a file that is not SQLite at all, changing nothing', () => {
    const dir = dirs.make('factory-foreign-')
    const path = join(dir, 'notes.db')
    writeFileSync(path, 'not a database, but somebody’s notes\n')
    expect(() => openLedger({ path })).toThrow(/it is not an SQLite database; nothing was changed/)
    expect(readFileSync(path, 'utf8')).toBe('not a database, but somebody’s notes\n')
    expect(readdirSync(dir)).toEqual(['notes.db'])
  })

  it('a reading command makes no ledger at a mistyped path or in an empty file', async () => {
    const dir = dirs.make('factory-mistyped-')
    const typo = join(dir, 'ledgr.db')
    for (const argv of [['spec', 'list'], ['agent', 'list'], ['runs'], ['log'], ['board']]) {
      const result = await cliOn(() => typo)(...argv)
      expect(result.code, argv.join(' ')).toBe(1)
      expect(result.stderr).toContain(`there is no ledger at ${typo}`)
    }
    expect(existsSync(typo)).toBe(false)
    const empty = join(dir, 'empty.db')
    writeFileSync(empty, '')
    const listed = await cliOn(() => empty)('spec', 'list')
    expect(listed.stderr).toContain('is empty: it holds no ledger yet')
    expect(readFileSync(empty)).toHaveLength(0)
    expect(readdirSync(dir)).toEqual(['empty.db'])
  })

  it('a writing command makes a new ledger and says so; the next one does not', async () => {
    const path = join(dirs.make('factory-new-'), 'ledger.db')
    const factory = cliOn(() => path)
    const first = await factory('spec', 'add', '--title', 'First')
    expect(first.code).toBe(0)
    expect(first.stderr).toBe(`factory: made a new ledger at ${path}\n`)
    const second = await factory('spec', 'add', '--title', 'Second')
    expect(second.stderr).toBe('')
    expect((await factory('spec', 'list')).stdout).toContain('Second')
  })
})
