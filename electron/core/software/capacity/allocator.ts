// The allocator's planning, pure: queued specs by priority, each to the lane with the most headroom
// that can take it (enabled, not held, below its cap, every quota window below its limit), never
// past the global cap. Lanes are scanned per spec; once no lane has room and the waiting list is
// full, the rest are counted without being read, so a round costs O(dispatched × lanes + listed),
// whatever the queue's length.
import type {
  AllocationDecision,
  AllocationLane,
  AllocationWait,
} from '../../../../shared/allocation'
import {
  busiestWindow,
  describeHeadroom,
  laneAvailability,
  laneLoad,
  peakUtilization,
  runningWords,
} from '../../../../shared/availability'
import type { RunnerPreset, SpecId } from '../../../../shared/domain'
import { formatClock } from '../../../../shared/format'
import { formatQuotaAmount, type AgentUsage } from '../../../../shared/quotas'
import { describeNeeds, misfit, type BlueprintNeeds } from './blueprints'
import type { RunCost } from './runCost'

export interface QueuedSpec {
  id: SpecId
  title: string
  /** Pinned to this lane; null: any lane. */
  agent: string | null
  /** Dependencies that have not shipped. */
  waitingOn: SpecId[]
  /** What its blueprint asks of a lane (null: no blueprint), or why that cannot be known. */
  needs?: BlueprintNeeds | { problem: string } | null
}

export interface AllocationInput {
  /** In the order they should be served: priority, then oldest first; read only as far as needed. */
  specs: Iterable<QueuedSpec>
  /** How many `specs` holds (an array's length when not given): what is not read is counted. */
  total?: number
  lanes: AgentUsage[]
  /** Lanes that cannot run anything for a reason capacity does not show (a missing CLI). */
  blocked: Map<string, string>
  /** Runs the global cap still allows; Infinity without one. */
  globalFree: number
  /** Each lane's runner, for blueprints that need one (absent: no spec has a blueprint). */
  runners?: Map<string, RunnerPreset>
  /** Waiting specs listed one by one; the rest are only counted. */
  listLimit?: number
  /** What a run costs on each lane, from its history (runCost.ts); absent: no estimate. */
  runCosts?: Map<string, RunCost>
}

export interface AllocationPlan {
  assign: Omit<AllocationDecision, 'run' | 'refused'>[]
  waiting: AllocationWait[]
  moreWaiting: number
  /** When specs waited and none was placed: why each lane took nothing. */
  lanes: AllocationLane[]
}

interface Lane {
  usage: AgentUsage
  free: number
  /** Why it takes nothing now (null: it has room). */
  closed: string | null
  /** Closed because one more run would likely carry it past a window's limit. */
  nearLimit: boolean
  peak: number
}

function openLanes(input: AllocationInput): Map<string, Lane> {
  const lanes = new Map<string, Lane>()
  for (const usage of input.lanes) {
    const availability = laneAvailability(usage)
    const blocked = input.blocked.get(usage.agent)
    const nearLimit = availability.ok
      ? nearLimitReason(usage, input.runCosts?.get(usage.agent))
      : undefined
    lanes.set(usage.agent, {
      usage,
      free: availability.ok && !blocked && !nearLimit ? availability.free : 0,
      closed:
        blocked ?? nearLimit ?? (availability.ok ? null : `${usage.agent} ${availability.reason}`),
      nearLimit: nearLimit !== undefined,
      peak: peakUtilization(usage),
    })
  }
  return lanes
}

/**
 * A window without room for one more run of what the lane's runs usually cost: a run started now
 * would carry the lane past its line. An empty window always takes one (nothing else could).
 */
export function nearLimitReason(usage: AgentUsage, cost: RunCost | undefined): string | undefined {
  if (!cost) return undefined
  for (const window of usage.windows) {
    const each = cost[window.unit]
    const used = window.utilization * window.limit
    if (each === undefined || used <= 0 || used + each <= window.limit) continue
    const left = Math.max(0, window.limit - used)
    return `${usage.agent} has ${formatQuotaAmount(window.unit, left)} of its ${window.window} window left; a run there uses about ${formatQuotaAmount(window.unit, each)}`
  }
  return undefined
}

/**
 * Most headroom first, then the emptier lane, then the one with more left in the same kind of
 * window (a 2M-token seat before a 1M one at the same share), then by name so a round is
 * deterministic.
 */
function better(a: Lane, b: Lane): boolean {
  if (a.peak !== b.peak) return a.peak < b.peak
  const loadA = laneLoad(a.usage)
  const loadB = laneLoad(b.usage)
  if (loadA !== loadB) return loadA < loadB
  const leftA = roomLeft(a.usage)
  const leftB = roomLeft(b.usage)
  if (leftA && leftB && leftA.kind === leftB.kind && leftA.left !== leftB.left) {
    return leftA.left > leftB.left
  }
  return a.usage.agent < b.usage.agent
}

/** What its busiest window has left, and what kind of window that is ("5h tokens"). */
function roomLeft(usage: AgentUsage): { kind: string; left: number } | null {
  const busiest = busiestWindow(usage)
  if (!busiest) return null
  return { kind: `${busiest.window} ${busiest.unit}`, left: busiest.limit - busiest.used }
}

export function planAllocation(input: AllocationInput): AllocationPlan {
  const lanes = openLanes(input)
  const listLimit = input.listLimit ?? 100
  let open = [...lanes.values()].filter((lane) => lane.free > 0)
  let globalFree = input.globalFree
  const plan: AllocationPlan = { assign: [], waiting: [], moreWaiting: 0, lanes: [] }
  // Why nothing has room, worked out once for all the specs that wait for that reason.
  let noRoom: string | undefined
  const wait = (spec: QueuedSpec, reason: string) => {
    if (plan.waiting.length < listLimit) {
      plan.waiting.push({ spec: spec.id, title: spec.title, reason })
    } else plan.moreWaiting++
  }
  const total = input.total ?? (Array.isArray(input.specs) ? input.specs.length : undefined)
  let read = 0
  for (const spec of input.specs) {
    // Nothing more can start and the list is full: the rest only wait, so they are only counted.
    if (
      total !== undefined &&
      plan.waiting.length >= listLimit &&
      (open.length === 0 || globalFree <= 0)
    ) {
      plan.moreWaiting += total - read
      break
    }
    read++
    if (spec.waitingOn.length > 0) {
      wait(spec, `waits for ${spec.waitingOn.join(', ')} to ship`)
      continue
    }
    if (spec.needs && 'problem' in spec.needs) {
      wait(spec, spec.needs.problem)
      continue
    }
    if (globalFree <= 0) {
      wait(spec, 'the factory is at its global limit of runs at once')
      continue
    }
    const needs = spec.needs
    const misfitOf = (lane: Lane): string | null =>
      needs
        ? misfit(needs, {
            agent: lane.usage.agent,
            runner: input.runners?.get(lane.usage.agent) ?? 'command',
          })
        : null
    let chosen: Lane | undefined
    if (spec.agent !== null) {
      const lane = lanes.get(spec.agent)
      if (!lane) {
        wait(spec, `no agent named ${spec.agent}`)
        continue
      }
      const wrong = misfitOf(lane)
      if (wrong) {
        wait(spec, `${spec.agent} does not fit: ${wrong}`)
        continue
      }
      if (lane.free <= 0) {
        wait(spec, lane.closed ?? `${spec.agent} has no free run slot this round`)
        continue
      }
      chosen = lane
    } else {
      for (const lane of open) {
        if ((!chosen || better(lane, chosen)) && !misfitOf(lane)) chosen = lane
      }
      if (!chosen) {
        wait(
          spec,
          needs && describeNeeds(needs)
            ? `no lane that fits has room (${describeNeeds(needs)})`
            : (noRoom ??= describeNoRoom(lanes)),
        )
        continue
      }
    }
    plan.assign.push({
      spec: spec.id,
      title: spec.title,
      agent: chosen.usage.agent,
      reason: describePlacement(chosen, lanes),
    })
    chosen.free--
    chosen.usage = { ...chosen.usage, running: chosen.usage.running + 1 }
    globalFree--
    if (chosen.free === 0) {
      noRoom = undefined
      chosen.closed = `${chosen.usage.agent} is at its limit of runs at once`
      open = open.filter((lane) => lane !== chosen)
    }
  }
  if (plan.assign.length === 0 && plan.waiting.length + plan.moreWaiting > 0) {
    plan.lanes = [...lanes.values()].map((lane) => ({
      agent: lane.usage.agent,
      reason: describeIdle(lane),
      room: lane.free > 0,
    }))
  }
  return plan
}

/**
 * Why a lane took nothing in a round that placed nothing, in the words a placement uses for the
 * lanes it passed over; a lane left alone for a reason of its own (no CLI, no workspace) says it.
 */
function describeIdle(lane: Lane): string {
  const blocked = lane.closed && lane.free <= 0 && !lane.nearLimit
  return blocked && laneAvailability(lane.usage).ok ? lane.closed! : describeOther(lane)
}

/**
 * Why this lane, said against the others: "to bob: 6% of 5h runs used, 0/2 running · alice paused
 * until 18:00 · gordon full until 14:05". The board shows it on the run; the log keeps it too.
 */
export function describePlacement(chosen: Lane, lanes: Map<string, Lane>): string {
  const others = [...lanes.values()]
    .filter((lane) => lane !== chosen)
    .slice(0, LANES_NAMED)
    .map(describeOther)
  const more = lanes.size - 1 - others.length
  if (more > 0) others.push(`${more} more`)
  return [`to ${describeHeadroom(chosen.usage)}`, ...others].join(' · ')
}

/** Another lane in a few words: why it was not chosen, or how much it had used. */
function describeOther(lane: Lane): string {
  const { usage } = lane
  const name = usage.agent
  if (lane.closed && lane.free <= 0) {
    const availability = laneAvailability(usage)
    if (availability.ok)
      return `${name} ${lane.nearLimit ? 'near its limit' : 'could not start it'}`
    if (availability.kind === 'disabled') return `${name} off`
    if (availability.kind === 'cap') {
      return `${name} busy (${runningWords(usage)})`
    }
    const until = availability.until === null ? '' : ` until ${formatClock(availability.until)}`
    return `${name} ${availability.kind === 'paused' ? 'paused' : 'full'}${until}`
  }
  return `${name} ${Math.round(lane.peak * 100)}% used, ${runningWords(usage)}`
}

/** "no agent has room: alice is disabled (…) · bob has used 5h runs: 10 of 10 … · and 3 more". */
function describeNoRoom(lanes: Map<string, Lane>): string {
  if (lanes.size === 0) return 'no agents yet: add a lane (factory agent add NAME)'
  const reasons = [...lanes.values()].map((lane) => lane.closed).filter((r) => r !== null)
  const shown = reasons.slice(0, LANES_NAMED)
  const more = reasons.length - shown.length
  // " · " between lanes: a lane's own reason may have a ";" of its own.
  return `no agent has room: ${shown.join(' · ')}${more > 0 ? ` · and ${more} more` : ''}`
}

/** How many lanes a "no room" reason names before it only counts the rest. */
const LANES_NAMED = 3
