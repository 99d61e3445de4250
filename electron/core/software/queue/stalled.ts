// A remote lane whose drainer has stopped (its machine is off, its loop died) looks like the lane
// with the most headroom, so the allocator keeps giving it work that then waits in its queue for
// ever while other lanes sit idle. When work has waited unclaimed for STALL_MS and the lane has
// claimed or finished nothing in that time, its waiting items are taken back, their specs return
// to the queue they came from, and the lane is paused until resumed, saying why.
import { and, eq, gt, inArray, isNotNull, isNull, or } from 'drizzle-orm'
import { pauseAgent } from '../../agents'
import type { Ledger } from '../../db/ledger'
import { agents, runs } from '../../db/schema'
import { requeueRun } from '../capacity/holding'
import { recordOutcome, type RunRow, NO_EXIT } from '../runs/runs'
import { isQueueRun, queueItemId } from './enqueue'
import { locate, withdraw } from './maildir'

export const STALL_MS = 30 * 60_000

/** Returns the lanes found stalled (and now paused). */
export function withdrawFromStalledQueues(
  ledger: Ledger,
  stallMs = STALL_MS,
  actor = 'queue-watch',
): string[] {
  const now = ledger.now()
  const since = now - stallMs
  // Only what can tell: runs waiting or at work, and any sign of life within the stall time.
  const rows = ledger.db
    .select({ run: runs })
    .from(runs)
    .innerJoin(agents, eq(agents.name, runs.agent))
    .where(
      and(
        isNotNull(agents.queue),
        isNull(agents.pauseReason),
        or(
          inArray(runs.state, ['queued', 'running']),
          gt(runs.startedAt, since),
          gt(runs.endedAt, since),
        ),
      ),
    )
    .all()
    .map(({ run }) => run)
    .filter(isQueueRun)
  const byAgent = new Map<string, RunRow[]>()
  for (const row of rows) byAgent.set(row.agent, [...(byAgent.get(row.agent) ?? []), row])
  const stalled: string[] = []
  for (const [agent, laneRuns] of byAgent) {
    const waiting = laneRuns.filter((run) => run.state === 'queued')
    if (waiting.length === 0 || laneRuns.some((run) => run.state === 'running')) continue
    const oldest = Math.min(...waiting.map((run) => run.createdAt))
    const lastSign = Math.max(
      ...laneRuns.map((run) => Math.max(run.startedAt ?? 0, run.endedAt ?? 0)),
    )
    if (oldest > since || lastSign > since) continue
    const minutes = Math.round(stallMs / 60_000)
    const why = `nothing claimed from its queue for ${minutes} min: is its drainer running? (factory drain --agent ${agent})`
    for (const run of waiting) {
      try {
        if (locate(run.cwd, queueItemId(run)) !== 'waiting' || !withdraw(run.cwd, queueItemId(run)))
          continue
      } catch {
        continue // the queue is out of reach: not evidence of anything
      }
      recordOutcome(
        ledger,
        actor,
        run.id,
        {
          state: 'failed',
          failure: { class: 'cancelled', message: `taken back: ${agent} ${why}` },
        },
        NO_EXIT,
        'queued',
      )
      ledger.change(actor, (change) =>
        requeueRun(ledger, change, run.id, `taken back from ${agent}'s queue: ${why}`),
      )
    }
    pauseAgent(ledger, actor, { name: agent, reason: why })
    stalled.push(agent)
  }
  return stalled
}
