// Quota-aware holding: a run that ends `quota_exhausted` or `rate_limited` holds its lane until the
// limit resets (when the CLI said when; otherwise for a while), and its spec goes back to the queue
// instead of being burned. Holds in a row back off (capped), and after a hold the lane takes one run
// at a time (a probe) until one gets through: a storm of retries into a limit cannot happen.
// A reactor: it follows run outcomes from its cursor, so each is handled once.
import { eq, sql } from 'drizzle-orm'
import type { LedgerEvent } from '../../../shared/domain'
import type { Failure, FailureClass } from '../../../shared/runs'
import { findAgent } from '../agents'
import type { Change, Ledger } from '../db/ledger'
import { agents } from '../db/schema'
import { catchUp, type Reactor } from '../reactors'
import { findSpec, markQueued } from '../specs'
import { findRunRow } from './runs'

/** How long to hold when the CLI did not say when the limit resets. */
const HOLD_WITHOUT_RESET_MS: Partial<Record<FailureClass, number>> = {
  rate_limited: 60_000,
  quota_exhausted: 3_600_000,
}
/** Added to the hold for every earlier hold in a row: 1 min, 2, 4 … up to an hour. */
const BACKOFF_FIRST_MS = 60_000
const BACKOFF_CAP_MS = 3_600_000

export function backoffMs(strikes: number): number {
  if (strikes <= 1) return 0
  return Math.min(BACKOFF_FIRST_MS * 2 ** (strikes - 2), BACKOFF_CAP_MS)
}

/** A run that got past the limit (or failed for another reason) ends the string of holds. */
const GOT_THROUGH = new Set(['run.shipped', 'run.done', 'run.failed'])

export const laneHolding: Reactor = {
  name: 'lane-holding',
  types: ['run.failed', 'run.shipped', 'run.done'],
  react(event, change, ledger) {
    const failure = event.payload.failure as Failure | undefined
    const holdFor = failure && HOLD_WITHOUT_RESET_MS[failure.class]
    if (failure && holdFor !== undefined) hold(event, failure, holdFor, change, ledger)
    else if (GOT_THROUGH.has(event.type) && failure?.class !== 'cancelled') {
      clearStrikes(event, change, ledger)
    }
  },
}

function hold(
  event: LedgerEvent,
  failure: Failure,
  holdFor: number,
  change: Change,
  ledger: Ledger,
): void {
  const name = String(event.payload.agent)
  const agent = findAgent(ledger, name)
  if (!agent) return
  requeue(event, change, ledger)
  const heldNow =
    agent.pauseReason !== null && (agent.pausedUntil === null || agent.pausedUntil > change.now)
  // Runs started together hit the same limit together: that is one hold, not several strikes.
  const strikes = heldNow ? agent.quotaStrikes : agent.quotaStrikes + 1
  const until = (failure.resetAt ?? event.ts + holdFor) + backoffMs(strikes)
  if (heldNow && (agent.pausedUntil === null || agent.pausedUntil >= until)) return
  if (until <= change.now) return // it has reset already
  const reason = `${failure.class}: ${failure.message}`.slice(0, 200)
  ledger.db
    .update(agents)
    .set({
      pausedUntil: until,
      pauseReason: reason,
      quotaStrikes: strikes,
      updatedAt: change.now,
    })
    .where(eq(agents.name, name))
    .run()
  change.append({
    type: 'agent.paused',
    subject: `agent:${name}`,
    payload: { until, reason, run: event.subject, strikes },
  })
}

/**
 * The spec whose run hit the limit waits in the queue again, where it came from: Unassigned when
 * the allocator placed it, its lane when a person did. Only while that run still owns the card.
 */
function requeue(event: LedgerEvent, change: Change, ledger: Ledger): void {
  const run = findRunRow(ledger, event.subject)
  if (!run) return
  const spec = findSpec(ledger, run.specId)
  if (!spec || spec.run?.id !== run.id || spec.status !== 'failed') return
  const dispatched = ledger.sqlite
    .prepare(
      `SELECT json_extract(payload, '$.reason') AS reason,
              json_extract(payload, '$.from.agent') AS fromAgent
       FROM events
       WHERE subject = ? AND type = 'spec.dispatched' AND json_extract(payload, '$.run') = ?`,
    )
    .get(run.specId, run.id) as { reason: string | null; fromAgent: string | null } | undefined
  // The allocator's dispatches carry its reason.
  const agent = dispatched?.reason ? dispatched.fromAgent : run.agent
  markQueued(ledger, change, spec, agent, {
    reason: `${run.agent} hit its limit; waits for it to reset`,
    run: run.id,
  })
}

function clearStrikes(event: LedgerEvent, change: Change, ledger: Ledger): void {
  const name = String(event.payload.agent)
  const updated = ledger.db
    .update(agents)
    .set({ quotaStrikes: 0, updatedAt: change.now })
    .where(sql`${agents.name} = ${name} AND ${agents.quotaStrikes} > 0`)
    .run()
  if (updated.changes > 0) {
    change.append({
      type: 'agent.probe-passed',
      subject: `agent:${name}`,
      payload: { run: event.subject },
    })
  }
}

/** The Software Factory's reactors, caught up with the log; errors are left for the next try. */
export function followSoftwareReactors(ledger: Ledger): void {
  try {
    catchUp(ledger, laneHolding)
  } catch {
    // busy or closing: the next run's end, or a host's next tick, catches up
  }
}
