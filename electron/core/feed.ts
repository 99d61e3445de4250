// Follows the ledger for committed events, whichever process committed them, and hands them to
// subscribers in seq order. Own commits are seen at once; other processes' (the CLI while the app is
// open) within one polling interval, by watching SQLite's data_version, which costs no query.
import type { LedgerEvent } from '../../shared/domain'
import type { Ledger } from './db/ledger'

export type EventListener = (event: LedgerEvent) => void

export class LedgerFeed {
  private cursor: number
  private version: number
  private readonly listeners = new Set<EventListener>()
  private readonly timer: NodeJS.Timeout
  private readonly stopOwnCommits: () => void

  constructor(
    private readonly ledger: Ledger,
    intervalMs = 150,
  ) {
    this.cursor = ledger.latestSeq()
    this.version = ledger.dataVersion()
    this.stopOwnCommits = ledger.onCommit(() => this.drain())
    this.timer = setInterval(() => this.poll(), intervalMs)
    this.timer.unref()
  }

  get seq(): number {
    return this.cursor
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  close(): void {
    clearInterval(this.timer)
    this.stopOwnCommits()
    this.listeners.clear()
  }

  private poll(): void {
    try {
      const version = this.ledger.dataVersion()
      if (version === this.version) return
      this.version = version
      this.drain()
    } catch {
      // The ledger was closed under us (shutdown); the next start resumes from the file.
    }
  }

  private drain(): void {
    for (const event of this.ledger.eventsSince(this.cursor)) {
      this.cursor = event.seq
      for (const listener of this.listeners) listener(event)
    }
  }
}
