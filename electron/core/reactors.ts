// Reactors are how the factories hand work to each other (shipped → draft, signal → spec, spec ready
// → allocator). Each follows the event log from its own persisted cursor; a reaction and the cursor
// move commit in one transaction, so a crash between an event and its reaction is healed by resuming,
// and no event is reacted to twice.
import { eq, sql } from 'drizzle-orm'
import type { LedgerEvent } from '../../shared/domain'
import type { Change, Ledger } from './db/ledger'
import { reactorCursors } from './db/schema'

export interface Reactor {
  /** Stable name: the cursor is stored under it. */
  name: string
  /** Event types this reactor cares about; others only move its cursor. */
  types: readonly string[]
  react(event: LedgerEvent, change: Change, ledger: Ledger): void
}

export function reactorCursor(ledger: Ledger, name: string): number {
  const row = ledger.db.select().from(reactorCursors).where(eq(reactorCursors.reactor, name)).get()
  return row?.seq ?? 0
}

/** Only ever forward: another process catching up the same reactor may be further along. */
function saveCursor(ledger: Ledger, name: string, seq: number, now: number): void {
  ledger.db
    .insert(reactorCursors)
    .values({ reactor: name, seq, updatedAt: now })
    .onConflictDoUpdate({
      target: reactorCursors.reactor,
      set: { seq: sql`max(${reactorCursors.seq}, excluded.seq)`, updatedAt: now },
    })
    .run()
}

/**
 * Catches one reactor up with the log. Returns how many events it reacted to. A reaction that
 * throws stops the catch-up at that event (its cursor stays before it) and the error propagates.
 */
export function catchUp(ledger: Ledger, reactor: Reactor, batch = 500): number {
  let reacted = 0
  for (;;) {
    const events = ledger.eventsAfter(reactorCursor(ledger, reactor.name), batch)
    if (events.length === 0) return reacted
    for (const event of events.filter((e) => reactor.types.includes(e.type))) {
      const reactedHere = ledger.change(`reactor:${reactor.name}`, (change) => {
        // Several processes follow the same reactor (the app, serve, each run's supervisor): the
        // cursor is read again under the write lock, and an event another one took is skipped.
        if (reactorCursor(ledger, reactor.name) >= event.seq) return false
        reactor.react(event, change, ledger)
        saveCursor(ledger, reactor.name, event.seq, change.now)
        return true
      })
      if (reactedHere) reacted++
    }
    // Past the batch's last event, relevant or not, so the next batch starts after it.
    const last = events.at(-1)!.seq
    ledger.change(`reactor:${reactor.name}`, (c) => saveCursor(ledger, reactor.name, last, c.now))
  }
}
