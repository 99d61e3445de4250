// Applies the embedded drizzle-kit migrations when a ledger opens. Each migration commits whole or
// not at all; concurrent openers (the app and the CLI) serialize on SQLite's write lock.
import type Database from 'better-sqlite3'
import { FactoryError } from '../../../shared/errors'
import { MIGRATIONS } from './migrations'

const BREAKPOINT = '--> statement-breakpoint'

export interface Migration {
  tag: string
  sql: string
}

export function appliedMigrations(sqlite: Database.Database): string[] {
  const rows = sqlite.prepare('SELECT tag FROM ledger_migrations ORDER BY tag').all() as {
    tag: string
  }[]
  return rows.map((r) => r.tag)
}

export function migrate(
  sqlite: Database.Database,
  migrations: Migration[] = MIGRATIONS,
  now: () => number = Date.now,
): string[] {
  const hasTable = sqlite
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ledger_migrations'")
    .get()
  if (!hasTable) {
    sqlite.exec(
      'CREATE TABLE IF NOT EXISTS ledger_migrations (tag TEXT PRIMARY KEY NOT NULL, applied_at INTEGER NOT NULL)',
    )
  }
  const known = new Set(migrations.map((m) => m.tag))
  const already = appliedMigrations(sqlite)
  const unknown = already.filter((tag) => !known.has(tag))
  if (unknown.length > 0) {
    throw new FactoryError(
      'LedgerTooNew',
      `this ledger was written by a newer Factory Stack (migration ${unknown.join(', ')}); update the app before opening it`,
    )
  }
  const isApplied = sqlite.prepare('SELECT 1 FROM ledger_migrations WHERE tag = ?')
  const record = sqlite.prepare('INSERT INTO ledger_migrations (tag, applied_at) VALUES (?, ?)')
  const applied: string[] = []
  // Only pending migrations take the write lock: opening an up-to-date ledger (every CLI command,
  // every run supervisor) only reads, so it never waits behind a long write.
  for (const migration of migrations.filter((m) => !already.includes(m.tag))) {
    sqlite
      .transaction(() => {
        if (isApplied.get(migration.tag)) return
        for (const statement of migration.sql.split(BREAKPOINT)) {
          if (statement.trim()) sqlite.exec(statement)
        }
        record.run(migration.tag, now())
        applied.push(migration.tag)
      })
      .immediate()
  }
  return applied
}
