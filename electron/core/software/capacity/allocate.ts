// One allocator round on the ledger: held lanes whose time is up resume, queued specs are read in
// priority order, planned (allocator.ts) and dispatched. Each dispatch is a `spec.dispatched`
// event by the allocator carrying its reason; a planned dispatch refused at the last moment
// (another process took the slot) is an `allocator.refused` event and waits for the next round.
import { statSync } from 'node:fs'
import { and, isNotNull, lte } from 'drizzle-orm'
import type { AllocationDecision, AllocationRound } from '../../../../shared/allocation'
import type { SpecId } from '../../../../shared/domain'
import { toFactoryError } from '../../../../shared/errors'
import { ACTIVE_RUN_STATES, type RunId } from '../../../../shared/runs'
import { listAgents, releaseLane } from '../../agents'
import type { Ledger } from '../../db/ledger'
import { agents } from '../../db/schema'
import { unmetDependenciesSql } from '../../dependencies'
import { readSetting } from '../../settings'
import { planAllocation, type QueuedSpec } from './allocator'
import { blueprintDirs, blueprintNeeds } from './blueprints'
import { followSoftwareReactors } from './holding'
import { agentCli, dispatchRun, type RunHost } from '../runs/dispatch'
import { readUsage } from './quotas'
import { runCost } from './runCost'
import { activeRunRows } from '../runs/runs'

type QueuedRow = [
  id: string,
  title: string,
  agent: string | null,
  waitingOn: string | null,
  blueprint: string | null,
]

const ACTIVE_STATES_SQL = ACTIVE_RUN_STATES.map((state) => `'${state}'`).join(', ')

// The queue: Software · queued, without a run at work (a remote queue's runs are `queued` too).
// INDEXED BY: the partial index holds the queue in serving order, so rows come without a sort and
// a round reads only as far as it gets; SQLite's planner, without statistics, would pick the
// board's index and sort every queued spec first.
const QUEUE_FROM = `FROM specs s INDEXED BY specs_queue_idx
  WHERE s.stage = 'software' AND s.status = 'queued'
    AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = s.run_id AND r.state IN (${ACTIVE_STATES_SQL}))`

export interface Queue {
  /** Best first (priority, then oldest), read as they are taken. */
  specs: Iterable<QueuedSpec>
  /** How many `specs` holds. */
  total: number
}

/** Queued Software specs without a run at work, best first, with their unmet dependencies. */
export function queuedSpecs(
  ledger: Ledger,
  blueprints: string[] = [],
  skip: ReadonlySet<string> = new Set(),
): Queue {
  const { n } = ledger.statement(`SELECT count(*) AS n ${QUEUE_FROM}`).get() as { n: number }
  return { specs: readQueue(ledger, blueprints, skip), total: n - skip.size }
}

function* readQueue(
  ledger: Ledger,
  blueprints: string[],
  skip: ReadonlySet<string>,
): Generator<QueuedSpec> {
  const rows = ledger
    .statement(
      `SELECT s.id, s.title, s.agent, ${unmetDependenciesSql('s.id')}, s.blueprint ${QUEUE_FROM}
       ORDER BY s.priority DESC, s.created_at ASC, s.rowid ASC`,
    )
    .raw()
    .iterate() as IterableIterator<QueuedRow>
  // Each blueprint is read once a round, however many specs name it.
  const needs = new Map<string, ReturnType<typeof blueprintNeeds>>()
  const needsOf = (name: string) => {
    if (!needs.has(name)) needs.set(name, blueprintNeeds(blueprints, name))
    return needs.get(name)!
  }
  for (const [id, title, agent, waitingOn, blueprint] of rows) {
    if (skip.has(id)) continue
    yield {
      id: id as SpecId,
      title,
      agent,
      waitingOn: waitingOn ? (waitingOn.split(' ') as SpecId[]) : [],
      needs: blueprint ? needsOf(blueprint) : null,
    }
  }
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
      releaseLane(ledger, change, name, { auto: true })
      return name
    }),
  )
}

/**
 * Lanes a dispatch refused for a reason of the lane's own (a workspace gone, a queue folder that
 * cannot be written), remembered per ledger so the allocator does not try them every tick: the
 * lane rests a minute, then two, four … up to ten, and the refusal is logged only when it changes.
 */
interface LaneTrouble {
  reason: string
  until: number
  restMs: number
}
const troubles = new WeakMap<Ledger, Map<string, LaneTrouble>>()
const FIRST_REST_MS = 60_000
const LONGEST_REST_MS = 600_000

/** Refusals that belong to the spec (it started elsewhere, it waits, it is gone), not the lane. */
const SPEC_REFUSALS = new Set(['SpecBusy', 'SpecNotReady', 'SpecNotFound'])

function troublesOf(ledger: Ledger): Map<string, LaneTrouble> {
  let map = troubles.get(ledger)
  if (!map) troubles.set(ledger, (map = new Map()))
  return map
}

/** Lanes the allocator leaves alone this round, saying why: no CLI, no workspace, recent trouble. */
function blockedLanes(ledger: Ledger, host: RunHost, now: number): Map<string, string> {
  const blocked = new Map<string, string>()
  const trouble = troublesOf(ledger)
  let dirs: string[] | undefined
  for (const agent of listAgents(ledger)) {
    const recent = trouble.get(agent.name)
    if (recent && recent.until > now) {
      blocked.set(agent.name, `${agent.name} was refused: ${recent.reason}`)
      continue
    }
    if (agent.queue) continue // a remote lane runs its own CLI
    if (agent.workspace && !isDirectory(agent.workspace)) {
      blocked.set(agent.name, `${agent.name}: its workspace ${agent.workspace} is not a folder`)
      continue
    }
    try {
      agentCli(agent, (dirs ??= host.searchDirs()))
    } catch (error) {
      blocked.set(agent.name, `${agent.name}: ${toFactoryError(error).message}`)
    }
  }
  return blocked
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

/** Remembers a lane's refusal; true when it is news (the log should say it). */
function noteTrouble(ledger: Ledger, agent: string, reason: string, now: number): boolean {
  const trouble = troublesOf(ledger)
  const before = trouble.get(agent)
  const restMs = before ? Math.min(before.restMs * 2, LONGEST_REST_MS) : FIRST_REST_MS
  trouble.set(agent, { reason, until: now + restMs, restMs })
  return before?.reason !== reason
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
  const dispatched: AllocationDecision[] = []
  const skipped = new Set<string>()
  // Planned again after a lane refuses, so the spec it refused goes to the next-best lane.
  for (;;) {
    const queue = queuedSpecs(ledger, blueprintDirs(host.dataDir), skipped)
    // The common case on every tick: nothing waits, so no lane needs reading.
    if (queue.total <= 0) {
      return { dryRun: options.dryRun, dispatched, waiting: [], moreWaiting: 0, lanes: [] }
    }
    const now = ledger.now()
    const cap = readSetting(ledger, 'maxConcurrentRuns')
    const lanes = readUsage(ledger, now)
    const plan = planAllocation({
      specs: queue.specs,
      total: queue.total,
      runners: new Map(listAgents(ledger).map((agent) => [agent.name, agent.runner])),
      lanes,
      blocked: blockedLanes(ledger, host, now),
      runCosts: new Map(lanes.map((lane) => [lane.agent, runCost(ledger, lane.agent)])),
      globalFree: cap === null ? Infinity : cap - activeRunRows(ledger).length,
    })
    if (options.dryRun) {
      return {
        dryRun: true,
        dispatched: plan.assign,
        waiting: plan.waiting,
        moreWaiting: plan.moreWaiting,
        lanes: plan.lanes,
      }
    }
    let replan = false
    for (const decision of plan.assign) {
      try {
        const run = dispatchRun(ledger, host, actor, {
          specId: decision.spec,
          agent: decision.agent,
          reason: decision.reason,
        })
        dispatched.push({ ...decision, run: run.id as RunId })
        troublesOf(ledger).delete(decision.agent)
      } catch (error) {
        const problem = toFactoryError(error)
        dispatched.push({ ...decision, refused: problem.message })
        if (SPEC_REFUSALS.has(problem.code)) {
          skipped.add(decision.spec)
          continue
        }
        if (noteTrouble(ledger, decision.agent, problem.message, now)) {
          ledger.change(actor, (change) =>
            change.append({
              type: 'allocator.refused',
              subject: decision.spec,
              payload: { agent: decision.agent, reason: decision.reason, refused: problem.message },
            }),
          )
        }
        replan = true
        break
      }
    }
    if (!replan) {
      return {
        dryRun: false,
        dispatched,
        waiting: plan.waiting,
        moreWaiting: plan.moreWaiting,
        // A run started before a lane refused: the round placed something after all.
        lanes: dispatched.some((d) => d.run) ? [] : plan.lanes,
      }
    }
  }
}
