import Database from 'better-sqlite3'
import { writeFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { readMigrationFolder } from '../../../scripts/embed-migrations.mjs'
import { tempLedgerPath } from '../testing'
import { openLedger, type Ledger } from './ledger'
import { appliedMigrations, migrate } from './migrate'
import { MIGRATIONS } from './migrations'

let cleanup = (): void => {}
let ledgers: Ledger[] = []
afterEach(() => {
  ledgers.forEach((l) => l.close())
  ledgers = []
  cleanup()
})

function fresh(): { path: string; open: () => Ledger } {
  const temp = tempLedgerPath()
  cleanup = temp.cleanup
  return {
    path: temp.path,
    open: () => {
      const ledger = openLedger({ path: temp.path })
      ledgers.push(ledger)
      return ledger
    },
  }
}

const count = (ledger: Ledger, table: string): number =>
  (ledger.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n

describe('migrations', () => {
  it('apply to an empty file and create every table', () => {
    const ledger = fresh().open()
    expect(appliedMigrations(ledger.sqlite)).toEqual(MIGRATIONS.map((m) => m.tag))
    for (const table of ['events', 'agents', 'specs', 'reactor_cursors']) {
      expect(count(ledger, table)).toBe(0)
    }
    expect(ledger.sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(ledger.sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
  })

  it('apply nothing to an already-migrated file and keep its data', () => {
    const { open } = fresh()
    const first = open()
    first.change('test', (c) => c.append({ type: 'test.kept', subject: 'x' }))
    first.close()
    const again = open()
    expect(migrate(again.sqlite)).toEqual([])
    expect(again.eventsAfter(0).map((e) => e.type)).toEqual(['test.kept'])
  })

  it('upgrade a ledger left at the previous schema', () => {
    const { path, open } = fresh()
    const old = new Database(path)
    migrate(old, MIGRATIONS.slice(0, -1))
    old
      .prepare("INSERT INTO events (ts, type, subject, actor) VALUES (1, 'old.event', 's', 'a')")
      .run()
    old.close()
    const ledger = open()
    expect(appliedMigrations(ledger.sqlite)).toEqual(MIGRATIONS.map((m) => m.tag))
    expect(ledger.eventsAfter(0)[0]?.type).toBe('old.event')
  })

  it('refuse a ledger written by a newer version, naming the migration', () => {
    const { path, open } = fresh()
    open().close()
    const db = new Database(path)
    db.prepare("INSERT INTO ledger_migrations VALUES ('9999_future', 1)").run()
    db.close()
    expect(() => open()).toThrow(/newer Factory Stack \(migration 9999_future\)/)
  })

  it('refuse a file that is not a ledger with a clear error', () => {
    const { path, open } = fresh()
    writeFileSync(path, 'this is a text file, not a database at all'.repeat(100))
    expect(() => open()).toThrow(/not a Factory Stack ledger/)
  })

  it('are embedded exactly as drizzle-kit generated them', () => {
    expect(MIGRATIONS).toEqual(readMigrationFolder())
  })
})

describe('events', () => {
  it('cannot be updated or deleted, even with raw SQL', () => {
    const ledger = fresh().open()
    ledger.change('test', (c) =>
      c.append({ type: 'spec.created', subject: 's_1', payload: { a: 1 } }),
    )
    expect(() => ledger.sqlite.prepare("UPDATE events SET type = 'forged'").run()).toThrow(
      /append-only: an event cannot be updated/,
    )
    expect(() => ledger.sqlite.prepare('DELETE FROM events').run()).toThrow(
      /append-only: an event cannot be deleted/,
    )
    expect(ledger.eventsAfter(0)).toMatchObject([{ type: 'spec.created', payload: { a: 1 } }])
  })

  it('roll back together with the read model when a change fails midway', () => {
    const ledger = fresh().open()
    expect(() =>
      ledger.change('test', (c) => {
        c.append({ type: 'agent.added', subject: 'agent:bob' })
        ledger.sqlite
          .prepare(
            "INSERT INTO agents (name, runner, created_at, updated_at) VALUES ('bob', 'claude', 1, 1)",
          )
          .run()
        throw new Error('disk on fire')
      }),
    ).toThrow('disk on fire')
    expect(count(ledger, 'events')).toBe(0)
    expect(count(ledger, 'agents')).toBe(0)
  })

  it('notify commit listeners only after a commit', () => {
    const ledger = fresh().open()
    const seen: number[] = []
    ledger.onCommit(() => seen.push(ledger.latestSeq()))
    expect(() =>
      ledger.change('test', (c) => {
        c.append({ type: 'a', subject: 'x' })
        throw new Error('no')
      }),
    ).toThrow()
    ledger.change('test', (c) => c.append({ type: 'b', subject: 'x' }))
    expect(seen).toEqual([ledger.latestSeq()])
  })

  it('refuse a change on a full disk with a clear error and keep what was stored', () => {
    const ledger = fresh().open()
    ledger.change('test', (c) => c.append({ type: 'kept', subject: 'x' }))
    // SQLite reports SQLITE_FULL exactly as on a full disk when the file may not grow further.
    const pages = ledger.sqlite.pragma('page_count', { simple: true }) as number
    ledger.sqlite.pragma(`max_page_count = ${pages + 1}`)
    expect(() =>
      ledger.change('test', (c) =>
        c.append({ type: 'big', subject: 'x', payload: { blob: 'x'.repeat(100_000) } }),
      ),
    ).toThrow(/the disk is full; nothing was written/)
    expect(ledger.eventsAfter(0).map((e) => e.type)).toEqual(['kept'])
  })
})
