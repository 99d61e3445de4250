// Quota-aware holding: a run that ends `quota_exhausted`, `rate_limited` or `overloaded` holds its
// lane until the limit resets (when the CLI said when; otherwise for a while), and its spec goes back
// to the queue instead of being burned. Holds in a row back off (capped), and after a hold the lane
// takes one run at a time (a probe) until one gets through: a storm of retries into a limit cannot
// happen. A lane that needs a person (an expired login, or runs failing again and again) is paused
// until resumed, so the queue does not drain into it. A reactor: it follows run outcomes from its
// cursor, so each is handled once.
import { eq } from 'drizzle-orm'
import { isHeld, type LedgerEvent } from '../../../../shared/domain'
import type { Failure, FailureClass } from '../../../../shared/runs'
import { findAgent, holdLane } from '../../agents'
import type { Change, Ledger } from '../../db/ledger'
import { agents } from '../../db/schema'
import { catchUp, type Reactor } from '../../reactors'
import { findSpec, markQueued } from '../../specs'
import { runBranches } from '../runs/mergeWhenShipped'
import { findRunRow } from '../runs/runs'

/** How long to hold when the CLI did not say when the limit resets; absent: not a limit. */
const HOLD_WITHOUT_RESET_MS: Partial<Record<FailureClass, number>> = {
  rate_limited: 60_000,
  overloaded: 60_000,
  quota_exhausted: 3_600_000,
}
/** Added to the hold for every earlier hold in a row: 1 min, 2, 4 … up to an hour. */
const BACKOFF_FIRST_MS = 60_000
const BACKOFF_CAP_MS = 3_600_000
/** No announced reset is believed further out than this (a subscription's longest window). */
const LONGEST_HOLD_MS = 8 * 86_400_000
/** A lane whose last runs all failed this many times in a row, this recently, is stopped. */
const BREAKER_RUNS = 3
const BREAKER_WINDOW_MS = 15 * 60_000

/** Failures that say nothing about the lane being broken: limits (held above) and cancels. */
const NOT_BROKEN = new Set<string>([...Object.keys(HOLD_WITHOUT_RESET_MS), 'cancelled'])

export function backoffMs(strikes: number): number {
  if (strikes <= 1) return 0
  return Math.min(BACKOFF_FIRST_MS * 2 ** (strikes - 2), BACKOFF_CAP_MS)
}

export const laneHolding: Reactor = {
  name: 'lane-holding',
  types: ['run.failed', 'run.shipped', 'run.done'],
  react(event, change, ledger) {
    const failure = event.payload.failure as Failure | undefined
    const holdFor = failure && HOLD_WITHOUT_RESET_MS[failure.class]
    if (failure && holdFor !== undefined) hold(event, failure, holdFor, change, ledger)
    else if (failure?.class === 'auth_expired') stopLane(event, failure, 'auth', change, ledger)
    else if (failure && failure.class !== 'cancelled') breakIfFailing(event, change, ledger)
    else if (event.type === 'run.shipped' || event.type === 'run.done') {
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
  const heldNow = isHeld(agent, change.now)
  // Runs started together hit the same limit together: that is one hold, not several strikes.
  const strikes = heldNow ? agent.quotaStrikes : agent.quotaStrikes + 1
  const announced = Math.min(failure.resetAt ?? event.ts + holdFor, event.ts + LONGEST_HOLD_MS)
  const until = announced + backoffMs(strikes)
  if (heldNow && (agent.pausedUntil === null || agent.pausedUntil >= until)) return
  if (until <= change.now) return // it has reset already
  holdLane(ledger, change, name, {
    until,
    reason: `${failure.class}: ${failure.message}`,
    run: event.subject,
    strikes,
  })
}

/**
 * A lane that cannot work until a person acts (its login expired, or its runs keep failing) is
 * paused until resumed, so the queue does not drain into it; the spec that found out waits again.
 */
function stopLane(
  event: LedgerEvent,
  failure: Failure,
  why: 'auth' | 'failing',
  change: Change,
  ledger: Ledger,
): void {
  const name = String(event.payload.agent)
  const agent = findAgent(ledger, name)
  if (!agent) return
  if (why === 'auth') requeue(event, change, ledger)
  if (agent.pauseReason !== null && agent.pausedUntil === null) return // already stopped
  const reason =
    why === 'auth'
      ? `auth_expired: ${failure.message} — log in again, then resume the lane`
      : `${BREAKER_RUNS} runs in a row failed (last: ${failure.class}: ${failure.message}) — check the lane, then resume it`
  holdLane(ledger, change, name, { until: null, reason, run: event.subject })
}

/** The breaker: the lane's last runs all failed, recently — stop it before it burns the queue. */
function breakIfFailing(event: LedgerEvent, change: Change, ledger: Ledger): void {
  const last = ledger.sqlite
    .prepare(
      `SELECT state, failure_class AS failureClass, ended_at AS endedAt FROM runs
       WHERE agent = ? AND ended_at IS NOT NULL ORDER BY ended_at DESC, rowid DESC LIMIT ?`,
    )
    .all(String(event.payload.agent), BREAKER_RUNS) as {
    state: string
    failureClass: string | null
    endedAt: number
  }[]
  const failing =
    last.length === BREAKER_RUNS &&
    last.every(
      (run) =>
        run.state === 'failed' &&
        !NOT_BROKEN.has(run.failureClass ?? '') &&
        run.endedAt > change.now - BREAKER_WINDOW_MS,
    )
  if (failing) stopLane(event, event.payload.failure as Failure, 'failing', change, ledger)
}

function requeue(event: LedgerEvent, change: Change, ledger: Ledger): void {
  const agent = String(event.payload.agent)
  requeueRun(ledger, change, event.subject, `${agent} hit its limit; waits for it to reset`)
}

/**
 * The spec whose run could not work (a limit, an expired login, a stalled remote queue) waits in
 * the queue again: on its lane when a person pinned it there (queued it on that lane), otherwise
 * in Unassigned for the allocator. Only while that run still owns the card.
 */
export function requeueRun(ledger: Ledger, change: Change, runId: string, reason: string): void {
  const run = findRunRow(ledger, runId)
  // A follow-up carries a reviewer's comments the queue cannot: it stays failed, and Retry repeats
  // the same request once the lane is back.
  if (!run || run.followUpOf) return
  const spec = findSpec(ledger, run.specId)
  if (!spec || spec.run?.id !== run.id || spec.status !== 'failed') return
  const dispatched = ledger.sqlite
    .prepare(
      `SELECT json_extract(payload, '$.pinned') AS pinned FROM events
       WHERE subject = ? AND type = 'spec.dispatched' AND json_extract(payload, '$.run') = ?`,
    )
    .get(run.specId, run.id) as { pinned: number | null } | undefined
  // Dropped on a lane is "start it there now", not "only there": unless a person pinned it to
  // that lane, it goes back to the allocator, which may start it on a free lane at once.
  const agent = dispatched?.pinned ? run.agent : null
  markQueued(ledger, change, spec, agent, { reason, run: run.id })
}

/** A run that started after the lane's last hold and got through ends the string of holds. */
function clearStrikes(event: LedgerEvent, change: Change, ledger: Ledger): void {
  const name = String(event.payload.agent)
  const agent = findAgent(ledger, name)
  const run = findRunRow(ledger, event.subject)
  if (!agent || agent.quotaStrikes === 0 || !run) return
  const lastHold = ledger.sqlite
    .prepare(`SELECT max(ts) AS ts FROM events WHERE subject = ? AND type = 'agent.paused'`)
    .get(`agent:${name}`) as { ts: number | null }
  if (lastHold.ts !== null && run.createdAt <= lastHold.ts) return // it proves nothing new
  ledger.db
    .update(agents)
    .set({ quotaStrikes: 0, updatedAt: change.now })
    .where(eq(agents.name, name))
    .run()
  change.append({ type: 'agent.probe-passed', subject: `agent:${name}`, payload: { run: run.id } })
}

/** The Software Factory's reactors, caught up with the log; errors are left for the next try. */
export function followSoftwareReactors(ledger: Ledger): void {
  for (const reactor of [laneHolding, runBranches]) {
    try {
      catchUp(ledger, reactor)
    } catch {
      // busy or closing: the next run's end, or a host's next tick, catches up
    }
  }
}
