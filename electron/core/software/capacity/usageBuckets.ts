// Usage per agent in 5-minute buckets over a span, read from `usage_buckets`, which the
// database keeps in step with `usage` by triggers (migration 0006). Why not one GROUP BY over
// `usage` per read: over 1,000,000 usage rows SQLite sorts them all (no hash aggregation) and takes
// 0.6–0.9 s; the rollup holds at most 8,640 rows per agent for 30 days, in key order.
import type { Agent } from '../../../../shared/domain'
import {
  mergedUtilization,
  reportFor,
  type QuotaUnit,
  type QuotaWindow,
  type ReportedWindow,
} from '../../../../shared/quotas'
import type { LaneHold } from '../../../../shared/saturation'
import type { Ledger } from '../../db/ledger'

export const FINE_MS = 300_000
/** A day past `now`, for rows stamped by a clock running a little ahead. */
const AHEAD = 86_400_000 / FINE_MS

export interface AgentBuckets {
  tokens: Float64Array
  usd: Float64Array
  messages: Float64Array
}

export interface UsageBuckets {
  /** Absolute bucket number (ts / FINE_MS) of slot 0. */
  base: number
  /** Slots per series. */
  slots: number
  agents: Map<string, AgentBuckets>
}

type Row = [agent: string, buckets: string, tokens: string, usd: string, messages: string]

// One row per agent with its columns as JSON arrays: SQLite builds them in C, and JSON.parse reads
// them about three times faster than better-sqlite3 hands over 90,000 rows one by one.
const RANGE_SQL = `SELECT agent, json_group_array(bucket), json_group_array(tokens),
    json_group_array(cost_micros), json_group_array(turns)
  FROM usage_buckets WHERE bucket >= ? AND bucket < ? GROUP BY agent`

/** The buckets from `from` to a day after `now`, per agent that used anything. */
export function usageBuckets(ledger: Ledger, from: number, now: number): UsageBuckets {
  const base = Math.floor(from / FINE_MS)
  const slots = Math.floor(now / FINE_MS) - base + 1 + AHEAD
  const rows = ledger.sqlite
    .prepare(RANGE_SQL)
    .raw(true)
    .all(base, base + slots) as Row[]
  const agents = new Map<string, AgentBuckets>()
  for (const [agent, bucketList, tokenList, usdList, messageList] of rows) {
    const numbers = JSON.parse(bucketList) as number[]
    const sums = [tokenList, usdList, messageList].map((list) => JSON.parse(list) as number[])
    const series = [0, 1, 2].map(() => new Float64Array(slots))
    for (let i = 0; i < numbers.length; i++) {
      const slot = numbers[i]! - base
      for (let k = 0; k < 3; k++) series[k]![slot] = sums[k]![i]!
    }
    agents.set(agent, { tokens: series[0]!, usd: series[1]!, messages: series[2]! })
  }
  return { base, slots, agents }
}

/** The usage of one agent, ready to be summed over any span of 5-minute buckets. */
export interface AgentUse {
  agent: Agent
  fine: UsageBuckets
  /** When its runs were created (the `runs` unit). */
  runs: number[]
  /** When its capacity begins: added or first used, whichever is earlier. */
  capacityFrom: number
  /** The subscription's current report, if the lane reads one. */
  reports: ReportedWindow[]
  /** When it could not work, oldest first. */
  holds: LaneHold[]
}

/** Used in `unit` from `start` (5-minute aligned) for `length` ms. */
export function usedBetween(use: AgentUse, unit: QuotaUnit, start: number, length: number): number {
  if (unit === 'runs') return use.runs.filter((at) => at >= start && at < start + length).length
  const series = use.fine.agents.get(use.agent.name)?.[unit]
  if (!series) return 0
  const first = start / FINE_MS - use.fine.base
  let sum = 0
  for (let slot = Math.max(0, first); slot < first + length / FINE_MS; slot++) {
    sum += series[slot] ?? 0
  }
  return sum
}

/**
 * Use in `unit` inside the rolling window of `durationMs` ending at each of `ends` (ms), that is
 * in [end − duration, end), at 5-minute resolution: prefix sums make each answer two lookups,
 * however long the window.
 */
export function rollingUse(
  use: AgentUse,
  unit: QuotaUnit,
  durationMs: number,
  ends: number[],
): number[] {
  if (unit === 'runs') {
    const times = [...use.runs].sort((a, b) => a - b)
    const countBefore = (t: number) => {
      let lo = 0
      let hi = times.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (times[mid]! < t) lo = mid + 1
        else hi = mid
      }
      return lo
    }
    return ends.map((end) => countBefore(end) - countBefore(end - durationMs))
  }
  const series = use.fine.agents.get(use.agent.name)?.[unit]
  if (!series) return ends.map(() => 0)
  const prefix = new Float64Array(series.length + 1)
  for (let i = 0; i < series.length; i++) prefix[i + 1] = prefix[i]! + series[i]!
  // The slots that start before `t` (a slot `t` falls inside counts: its use came before `t`).
  const before = (t: number) =>
    prefix[Math.max(0, Math.min(series.length, Math.ceil(t / FINE_MS) - use.fine.base))]!
  return ends.map((end) => before(end) - before(end - durationMs))
}

/**
 * A window's utilization at each of `ends`, as its meter would have read then: the rolling count
 * merged with the subscription's report where that report speaks for the moment (it is read every
 * few minutes and only the latest is kept, so before it was read the count stands alone).
 * `byReport[i]`: the report gave the figure.
 */
export function windowUtilization(
  use: AgentUse,
  window: QuotaWindow,
  ends: number[],
): { values: number[]; byReport: boolean[] } {
  const counted = rollingUse(use, window.unit, window.durationMs, ends)
  const values: number[] = []
  const byReport: boolean[] = []
  for (let i = 0; i < ends.length; i++) {
    const share = counted[i]! / window.limit
    const report = use.reports.length
      ? reportFor(use.reports, window.durationMs, ends[i]!)
      : undefined
    const merged = mergedUtilization(share, report)
    values.push(merged)
    byReport.push(report !== undefined && report.utilization >= share)
  }
  return { values, byReport }
}
