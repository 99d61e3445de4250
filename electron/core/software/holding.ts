// Quota-aware holding: a run that ends `quota_exhausted` or `rate_limited` pauses its lane until
// the limit resets (when the CLI said when; otherwise for a while), so nothing else is burned
// against it. A reactor: it follows run.failed from its cursor, and pausing is idempotent.
import { eq } from 'drizzle-orm'
import type { Failure, FailureClass } from '../../../shared/runs'
import { findAgent } from '../agents'
import type { Ledger } from '../db/ledger'
import { agents } from '../db/schema'
import { catchUp, type Reactor } from '../reactors'

/** How long to hold when the CLI did not say when the limit resets. */
const HOLD_WITHOUT_RESET_MS: Partial<Record<FailureClass, number>> = {
  rate_limited: 60_000,
  quota_exhausted: 3_600_000,
}

export const laneHolding: Reactor = {
  name: 'lane-holding',
  types: ['run.failed'],
  react(event, change, ledger) {
    const failure = event.payload.failure as Failure | undefined
    const holdFor = failure && HOLD_WITHOUT_RESET_MS[failure.class]
    if (!failure || holdFor === undefined) return
    const name = String(event.payload.agent)
    const agent = findAgent(ledger, name)
    if (!agent) return
    const until = failure.resetAt ?? event.ts + holdFor
    if (until <= change.now) return // it has reset already
    // Already held at least as long (by hand, or by another run hitting the same limit).
    if (agent.pauseReason !== null && (agent.pausedUntil === null || agent.pausedUntil >= until)) {
      return
    }
    const reason = `${failure.class}: ${failure.message}`.slice(0, 200)
    ledger.db
      .update(agents)
      .set({ pausedUntil: until, pauseReason: reason, updatedAt: change.now })
      .where(eq(agents.name, name))
      .run()
    change.append({
      type: 'agent.paused',
      subject: `agent:${name}`,
      payload: { until, reason, run: event.subject },
    })
  },
}

/** The Software Factory's reactors, caught up with the log; errors are left for the next try. */
export function followSoftwareReactors(ledger: Ledger): void {
  try {
    catchUp(ledger, laneHolding)
  } catch {
    // busy or closing: the next run's end, or a host's next tick, catches up
  }
}
