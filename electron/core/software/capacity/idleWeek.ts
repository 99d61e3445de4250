// Where the last 7 days' capacity went, per agent with quota windows: used, idle, blocked. Every 5
// minutes of the week it reads what the lane's meter said then (each window's use, merged from
// every source the lane has, as saturation.ts does per bucket): up to 100% of it was used; the
// rest was idle if the lane could have worked then, and blocked if it could not (held, paused,
// disabled). The week's shares are the averages of those moments, so they read against the meters:
// a lane whose 7-day meter says 17% did not waste 0% of its week, and a lane paused all week left
// nothing idle, it was blocked. In the window's own unit, the idle share of an average window is
// "1.5M of 2M tokens per 5h left unused on average".
import { laneSources, type QuotaUnit, type QuotaWindow } from '../../../../shared/quotas'
import {
  DAY_MS,
  IDLE_WEEK_DAYS,
  type AgentIdleWeek,
  type IdleQuota,
  type IdleWeek,
} from '../../../../shared/saturation'
import { blockedShare } from './laneHolds'
import { FINE_MS, usedBetween, windowUtilization, type AgentUse } from './usageBuckets'

const WEEK_MS = IDLE_WEEK_DAYS * DAY_MS

/**
 * Where the week's usage starts: 7 days ago, down to its 5-minute bucket (usage is summed in those
 * buckets, so up to 5 minutes more use may count; capacity is counted over exactly 7 days).
 */
export function idleWeekStart(now: number): number {
  return Math.floor((now - WEEK_MS) / FINE_MS) * FINE_MS
}

/** The moments the week is read at: every 5 minutes from `since`, each with its length. */
function moments(since: number, now: number): { ends: number[]; lengths: number[] } {
  const ends: number[] = []
  const lengths: number[] = []
  let start = since
  while (start < now) {
    const end = Math.min(now, (Math.floor(start / FINE_MS) + 1) * FINE_MS)
    ends.push(end)
    lengths.push(end - start)
    start = end
  }
  return { ends, lengths }
}

/** Used, idle and blocked shares of a series of readings: time-weighted, adding up to 1. */
export interface Shares {
  usedShare: number
  idleShare: number
  blockedShare: number
}

/**
 * The definition of idle and blocked, for one series of meter readings: at each moment the used
 * part is min(1, utilization); the rest is idle in the share of the moment the lane could work and
 * blocked in the share it could not. `lengths` weigh the moments.
 */
export function capacityShares(
  utilization: readonly number[],
  blocked: readonly number[],
  lengths: readonly number[],
): Shares {
  let total = 0
  let used = 0
  let idle = 0
  let held = 0
  for (let i = 0; i < utilization.length; i++) {
    const length = lengths[i]!
    const part = Math.min(1, Math.max(0, utilization[i]!))
    total += length
    used += part * length
    idle += (1 - part) * (1 - blocked[i]!) * length
    held += (1 - part) * blocked[i]! * length
  }
  if (total === 0) return { usedShare: 0, idleShare: 0, blockedShare: 0 }
  return { usedShare: used / total, idleShare: idle / total, blockedShare: held / total }
}

export function readIdleWeek(uses: AgentUse[], now: number): IdleWeek {
  const from = idleWeekStart(now)
  // Through the end of the bucket holding `now`.
  const length = (Math.floor(now / FINE_MS) + 1) * FINE_MS - from
  const agents: AgentIdleWeek[] = []
  for (const use of uses) {
    const since = Math.max(now - WEEK_MS, use.capacityFrom)
    if (!use.agent.quotas.length || since >= now) continue
    const { ends, lengths } = moments(since, now)
    const blocked = ends.map((end, i) => blockedShare(use.holds, end - lengths[i]!, end))
    const readings = use.agent.quotas.map((window) => windowUtilization(use, window, ends))
    // The agent as its meter and the allocator read it: its fullest window, moment by moment.
    const fullest = ends.map((_, i) => Math.max(...readings.map((r) => r.values[i]!)))
    const windows = use.agent.quotas.map((window, k) =>
      idleQuota(
        window,
        usedBetween(use, window.unit, from, length),
        now - since,
        capacityShares(readings[k]!.values, blocked, lengths),
      ),
    )
    const binding = windows.reduce((tightest, w) =>
      w.idleShare + w.blockedShare < tightest.idleShare + tightest.blockedShare ? w : tightest,
    )
    const blockedMs = blocked.reduce((sum, share, i) => sum + share * lengths[i]!, 0)
    agents.push({
      agent: use.agent.name,
      since,
      ...capacityShares(fullest, blocked, lengths),
      blockedMs: Math.round(blockedMs),
      holds: use.holds.filter((hold) => hold.to > since),
      binding,
      windows,
      byReport: readings.some((r) => r.byReport.some(Boolean)),
      sources: laneSources(use.agent.usageSources),
    })
  }
  const seats = agents.length
  const mean = (pick: (a: AgentIdleWeek) => number) =>
    seats ? agents.reduce((sum, a) => sum + pick(a), 0) / seats : null
  return {
    from: now - WEEK_MS,
    to: now,
    agents,
    idleShare: mean((a) => a.idleShare),
    blockedShare: mean((a) => a.blockedShare),
    totals: totals(agents),
  }
}

function idleQuota(
  window: QuotaWindow,
  used: number,
  withCapacity: number,
  shares: Shares,
): IdleQuota {
  // Units are integers (tokens, micro-dollars, messages, runs): so are the figures shown.
  const capacity = Math.round((window.limit * withCapacity) / window.durationMs)
  return { ...window, capacity, used, idle: Math.round(capacity * shares.idleShare), ...shares }
}

function totals(agents: AgentIdleWeek[]): IdleWeek['totals'] {
  const byUnit = new Map<QuotaUnit, IdleWeek['totals'][number]>()
  for (const { binding } of agents) {
    const total = byUnit.get(binding.unit) ?? { unit: binding.unit, capacity: 0, used: 0, idle: 0 }
    total.capacity += binding.capacity
    total.used += binding.used
    total.idle += binding.idle
    byUnit.set(binding.unit, total)
  }
  return [...byUnit.values()]
}
