// The ledger: one SQLite file shared by the desktop app, the browser mode and the CLI.
// Every change is one IMMEDIATE transaction that appends its events and updates the read models
// together; listeners hear about events only after they are committed.
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import type { LedgerEvent } from '../../../shared/domain'
import { FactoryError } from '../../../shared/errors'
import { migrate } from './migrate'
import { canWriteLedger, readerSnapshot, unwritableFile, type Snapshot } from './access'
import { databaseKind, fileKind } from './identify'
import * as schema from './schema'

export type LedgerDb = BetterSQLite3Database<typeof schema>

export interface NewEvent {
  type: string
  subject: string
  payload?: Record<string, unknown>
}

export interface Change {
  /** Appends an event inside the current transaction; returns its seq. */
  append(event: NewEvent): number
  readonly now: number
  readonly actor: string
}

export interface LedgerOptions {
  path: string
  /** better-sqlite3 built for another runtime's ABI (Electron's), when this process is Electron. */
  nativeBinding?: string
  now?: () => number
  /**
   * false: only an existing ledger is opened (a command that only reads never makes one at a
   * mistyped path). By default a missing or empty file becomes a new ledger.
   */
  create?: boolean
}

interface EventRow {
  seq: number
  ts: number
  type: string
  subject: string
  actor: string
  payload: string
}

export class Ledger {
  readonly sqlite: Database.Database
  readonly db: LedgerDb
  readonly path: string
  readonly now: () => number
  /** This open made the ledger (the file was missing or empty). */
  readonly created: boolean
  /** This user may only read the ledger: it is read from a private snapshot (access.ts). */
  private readonly snapshot: Snapshot | undefined
  private readonly insertEvent: Database.Statement
  private readonly selectAfter: Database.Statement
  private readonly commitListeners = new Set<() => void>()
  private readonly statements = new Map<string, Database.Statement>()
  /** Built once: making a better-sqlite3 transaction function per change costs more than the insert. */
  private readonly transact: Database.Transaction<<T>(work: () => T) => T>

  constructor(options: LedgerOptions) {
    this.path = options.path
    this.now = options.now ?? Date.now
    const opened = openFile(options)
    this.sqlite = opened.sqlite
    this.created = opened.created
    this.snapshot = opened.snapshot
    this.db = drizzle(this.sqlite, { schema })
    this.insertEvent = this.sqlite.prepare(
      'INSERT INTO events (ts, type, subject, actor, payload) VALUES (?, ?, ?, ?, ?)',
    )
    this.transact = this.sqlite.transaction(<T>(work: () => T): T => work())
    this.selectAfter = this.sqlite.prepare(
      'SELECT seq, ts, type, subject, actor, payload FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
    )
  }

  /** Runs `work` as one transaction: its events and read-model writes commit together or not at all. */
  change<T>(actor: string, work: (change: Change) => T): T {
    const now = this.now()
    let appended = 0
    const change: Change = {
      now,
      actor,
      append: (event) => {
        appended++
        const info = this.insertEvent.run(
          now,
          event.type,
          event.subject,
          actor,
          JSON.stringify(event.payload ?? {}),
        )
        return Number(info.lastInsertRowid)
      },
    }
    let result: T
    try {
      result = this.transact.immediate(() => work(change)) as T
    } catch (error) {
      throw explainSqliteError(error, this.path)
    }
    if (appended > 0) for (const listener of this.commitListeners) listener()
    return result
  }

  eventsAfter(seq: number, limit = 1000): LedgerEvent[] {
    return (this.selectAfter.all(seq, limit) as EventRow[]).map(toLedgerEvent)
  }

  /** Every event after `seq`, in order, read in batches so a long log never sits in memory whole. */
  *eventsSince(seq: number, batch = 500): Generator<LedgerEvent> {
    for (;;) {
      const events = this.eventsAfter(seq, batch)
      yield* events
      if (events.length < batch) return
      seq = events.at(-1)!.seq
    }
  }

  latestSeq(): number {
    const row = this.sqlite.prepare('SELECT max(seq) AS seq FROM events').get() as {
      seq: number | null
    }
    return row.seq ?? 0
  }

  /** SQLite's counter that moves when another connection commits; cheap to read often. */
  dataVersion(): number {
    return this.sqlite.pragma('data_version', { simple: true }) as number
  }

  onCommit(listener: () => void): () => void {
    this.commitListeners.add(listener)
    return () => this.commitListeners.delete(listener)
  }

  /**
   * The prepared statement for `sql`, made once per ledger: preparing costs more than running the
   * small queries that hot paths (capacity, the allocator) ask every few seconds.
   */
  statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql)
    if (!statement) {
      statement = this.sqlite.prepare(sql)
      this.statements.set(sql, statement)
    }
    return statement
  }

  close(): void {
    this.commitListeners.clear()
    if (this.sqlite.open) this.sqlite.close()
    this.snapshot?.remove()
  }
}

export function openLedger(options: LedgerOptions): Ledger {
  return new Ledger(options)
}

export function toLedgerEvent(row: EventRow): LedgerEvent {
  return { ...row, payload: JSON.parse(row.payload) as Record<string, unknown> }
}

function openFile(options: LedgerOptions): {
  sqlite: Database.Database
  created: boolean
  snapshot?: Snapshot
} {
  let sqlite: Database.Database | undefined
  let snapshot: Snapshot | undefined
  try {
    // Before anything is switched on or added: a file that is not a ledger is refused untouched.
    const kind = fileKind(options.path)
    // Opening it here would leave -wal and -shm files this user owns, locking its owner out.
    if (kind === 'sqlite' && !canWriteLedger(options.path)) snapshot = readerSnapshot(options.path)
    const found =
      kind === 'sqlite'
        ? databaseKind(snapshot?.file ?? options.path, options.path, options.nativeBinding)
        : kind
    if (found !== 'ledger' && (options.create === false || snapshot)) {
      throw new FactoryError(
        'LedgerUnavailable',
        found === 'missing'
          ? `there is no ledger at ${options.path}; check the path (a command that adds something, such as \`factory spec add\`, starts a new ledger)`
          : `${options.path} is empty: it holds no ledger yet; a command that adds something, such as \`factory spec add\`, makes one there`,
      )
    }
    mkdirSync(dirname(options.path), { recursive: true })
    sqlite = new Database(
      snapshot?.file ?? options.path,
      options.nativeBinding ? { nativeBinding: options.nativeBinding } : {},
    )
    sqlite.pragma('busy_timeout = 5000')
    sqlite.pragma('journal_mode = WAL')
    // WAL + NORMAL: a crash of any process loses nothing committed; only a power cut can drop the
    // last few commits, and the file is never left inconsistent. FULL would fsync every commit.
    sqlite.pragma('synchronous = NORMAL')
    sqlite.pragma('foreign_keys = ON')
    migrate(sqlite, undefined, options.now)
    // A write to the snapshot would be lost: refused like a write to a read-only file.
    if (snapshot) sqlite.pragma('query_only = ON')
    return { sqlite, created: found !== 'ledger', ...(snapshot ? { snapshot } : {}) }
  } catch (error) {
    sqlite?.close()
    snapshot?.remove()
    if (error instanceof FactoryError) throw error
    throw explainSqliteError(error, options.path)
  }
}

const SQLITE_EXPLANATIONS: Record<string, string> = {
  SQLITE_FULL: 'the disk is full; nothing was written',
  SQLITE_READONLY: 'the ledger file is read-only; nothing was written',
  SQLITE_BUSY: 'another process holds the ledger locked; nothing was written, try again',
  SQLITE_NOTADB: 'this file is not a Factory Stack ledger (not an SQLite database)',
  SQLITE_CORRUPT: 'the ledger file is damaged',
  SQLITE_CANTOPEN: 'the ledger file cannot be opened (check the folder exists and is writable)',
  SQLITE_IOERR: 'the disk reported an I/O error; nothing was written',
}

function explainSqliteError(error: unknown, path: string): unknown {
  if (error instanceof FactoryError) return error
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') {
    const known = Object.keys(SQLITE_EXPLANATIONS).find((k) => code.startsWith(k))
    // Named: the ledger itself, or a -wal/-shm beside it that another user's process left.
    const culprit = known === 'SQLITE_READONLY' ? unwritableFile(path) : undefined
    if (culprit)
      return new FactoryError(
        'LedgerUnavailable',
        `${path}: this user can only read the ledger: ${culprit}; nothing was written`,
      )
    if (known)
      return new FactoryError('LedgerUnavailable', `${path}: ${SQLITE_EXPLANATIONS[known]}`, {
        cause: error,
      })
    if ((error as { code?: string }).code === 'EACCES' || code === 'ENOENT') {
      return new FactoryError('LedgerUnavailable', `${path}: ${(error as Error).message}`)
    }
  }
  return error
}
