// One allocator round on the ledger: held lanes whose time is up resume, queued specs are read in
// priority order, planned (allocator.ts) and dispatched. Each dispatch is a `spec.dispatched`
// event by the allocator carrying its reason; a planned dispatch refused at the last moment
// (another process took the slot) is an `allocator.refused` event and waits for the next round.
import { and, eq, isNotNull, lte } from 'drizzle-orm'
import type { AllocationDecision, AllocationRound } from '../../../shared/allocation'
import type { SpecId } from '../../../shared/domain'
import { toFactoryError } from '../../../shared/errors'
import type { RunId } from '../../../shared/runs'
import { listAgents } from '../agents'
import type { Ledger } from '../db/ledger'
import { agents } from '../db/schema'
import { readSetting } from '../settings'
import { planAllocation, type QueuedSpec } from './allocator'
import { followSoftwareReactors } from './holding'
import { agentCli, dispatchRun, type RunHost } from './dispatch'
import { readUsage } from './quotas'
import { activeRunRows } from './runs'

type QueuedRow = [id: string, title: string, agent: string | null, waitingOn: string | null]

/** Queued Software specs without a run at work, best first; unmet dependencies listed. */
export function queuedSpecs(ledger: Ledger): QueuedSpec[] {
  const rows = ledger.sqlite
    .prepare(
      `SELECT s.id, s.title, s.agent,
         (SELECT group_concat(d.depends_on, ' ') FROM spec_dependencies d
          WHERE d.spec_id = s.id
            AND NOT EXISTS (SELECT 1 FROM artifacts a WHERE a.spec_id = d.depends_on))
       FROM specs s
       WHERE s.stage = 'software' AND s.status = 'queued'
         AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = s.run_id
                         AND r.state IN ('queued', 'starting', 'running'))
       ORDER BY s.priority DESC, s.created_at ASC, s.rowid ASC`,
    )
    .raw()
    .all() as QueuedRow[]
  return rows.map(([id, title, agent, waitingOn]) => ({
    id: id as SpecId,
    title,
    agent,
    waitingOn: waitingOn ? (waitingOn.split(' ') as SpecId[]) : [],
  }))
}

/** Lanes held until a time that has passed are resumed, with an event saying so. */
export function resumeExpiredHolds(ledger: Ledger, actor: string): string[] {
  const now = ledger.now()
  const expired = () =>
    ledger.db
      .select({ name: agents.name })
      .from(agents)
      .where(and(isNotNull(agents.pauseReason), lte(agents.pausedUntil, now)))
      .all()
  if (expired().length === 0) return [] // the common case: no write lock taken
  return ledger.change(actor, (change) =>
    expired().map(({ name }) => {
      ledger.db
        .update(agents)
        .set({ pausedUntil: null, pauseReason: null, updatedAt: change.now })
        .where(eq(agents.name, name))
        .run()
      change.append({ type: 'agent.resumed', subject: `agent:${name}`, payload: { auto: true } })
      return name
    }),
  )
}

/** Lanes whose agent CLI cannot be found: the allocator leaves them alone, saying why. */
function blockedLanes(ledger: Ledger, host: RunHost): Map<string, string> {
  const blocked = new Map<string, string>()
  let dirs: string[] | undefined
  for (const agent of listAgents(ledger)) {
    if (agent.queue) continue // a remote lane runs its own CLI
    try {
      agentCli(agent, (dirs ??= host.searchDirs()))
    } catch (error) {
      blocked.set(agent.name, `${agent.name}: ${toFactoryError(error).message}`)
    }
  }
  return blocked
}

export function allocateRound(
  ledger: Ledger,
  host: RunHost,
  actor: string,
  options: { dryRun: boolean },
): AllocationRound {
  if (!options.dryRun) {
    // A run that just hit a limit must hold its lane before this round looks at that lane.
    followSoftwareReactors(ledger)
    resumeExpiredHolds(ledger, actor)
  }
  const specs = queuedSpecs(ledger)
  if (specs.length === 0)
    return { dryRun: options.dryRun, dispatched: [], waiting: [], moreWaiting: 0 }
  const cap = readSetting(ledger, 'maxConcurrentRuns')
  const plan = planAllocation({
    specs,
    lanes: readUsage(ledger, ledger.now()),
    blocked: blockedLanes(ledger, host),
    globalFree: cap === null ? Infinity : cap - activeRunRows(ledger).length,
  })
  if (options.dryRun) {
    return {
      dryRun: true,
      dispatched: plan.assign,
      waiting: plan.waiting,
      moreWaiting: plan.moreWaiting,
    }
  }
  const dispatched: AllocationDecision[] = []
  for (const decision of plan.assign) {
    try {
      const run = dispatchRun(ledger, host, actor, {
        specId: decision.spec,
        agent: decision.agent,
        reason: decision.reason,
      })
      dispatched.push({ ...decision, run: run.id as RunId })
    } catch (error) {
      const refused = toFactoryError(error).message
      dispatched.push({ ...decision, refused })
      ledger.change(actor, (change) =>
        change.append({
          type: 'allocator.refused',
          subject: decision.spec,
          payload: { agent: decision.agent, reason: decision.reason, refused },
        }),
      )
    }
  }
  return { dryRun: false, dispatched, waiting: plan.waiting, moreWaiting: plan.moreWaiting }
}
