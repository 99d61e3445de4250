// What a path holds before the ledger opens it for writing: nothing yet, a Factory Stack ledger, or
// something else (another application's SQLite database, any other file), which is refused
// untouched: no WAL switched on, no table added. Looked at from the file's own header, then its
// tables, read-only.
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs'
import Database from 'better-sqlite3'
import { FactoryError } from '../../../shared/errors'

export type LedgerFile = 'missing' | 'empty' | 'ledger'

const SQLITE_MAGIC = 'SQLite format 3\0'
/** Header bytes 18–19: 1 for a rollback journal, 2 for WAL. */
const WAL_VERSION = 2

function header(path: string): Buffer {
  const fd = openSync(path, 'r')
  try {
    const bytes = Buffer.alloc(100)
    const read = readSync(fd, bytes, 0, 100, 0)
    return bytes.subarray(0, read)
  } finally {
    closeSync(fd)
  }
}

/**
 * What the file at `path` is, from its header alone (nothing is opened as a database): 'missing',
 * 'empty' (no bytes) or 'sqlite'; anything else throws LedgerUnavailable, having changed nothing.
 */
export function fileKind(path: string): 'missing' | 'empty' | 'sqlite' {
  if (!existsSync(path)) return 'missing'
  if (!statSync(path).isFile()) throw notALedger(path, 'it is not a file')
  const head = header(path)
  if (head.length === 0) return 'empty'
  if (head.length < 100 || head.subarray(0, 16).toString('latin1') !== SQLITE_MAGIC) {
    throw notALedger(path, 'it is not an SQLite database')
  }
  return 'sqlite'
}

/**
 * An SQLite database's tables say whether it is a ledger: 'ledger', 'empty' (no tables), or
 * LedgerUnavailable naming `named` for another application's database. `file` is the database to
 * look at (the ledger itself, or a reader's snapshot of it).
 */
export function databaseKind(file: string, named: string, nativeBinding?: string): LedgerFile {
  // A rollback-journal database is read through a read-only connection, which writes nothing. A
  // WAL database needs its shared-memory file to be read at all; reading still changes no byte.
  const readonly = header(file)[18] !== WAL_VERSION
  const sqlite = new Database(file, {
    readonly,
    fileMustExist: true,
    ...(nativeBinding ? { nativeBinding } : {}),
  })
  try {
    const tables = (
      sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string
      }[]
    ).map((row) => row.name)
    if (tables.length === 0) return 'empty'
    if (tables.includes('ledger_migrations')) return 'ledger'
    const list = tables.slice(0, 4).join(', ') + (tables.length > 4 ? ', …' : '')
    throw notALedger(named, `it is another application's SQLite database (tables: ${list})`)
  } finally {
    sqlite.close()
  }
}

function notALedger(path: string, why: string): FactoryError {
  return new FactoryError(
    'LedgerUnavailable',
    `${path} is not a Factory Stack ledger: ${why}; nothing was changed`,
  )
}
