// Usage per agent in 5-minute buckets over the last month, read from `usage_buckets`, which the
// database keeps in step with `usage` by triggers (migration 0006). Why not one GROUP BY over
// `usage` per read: over 1,000,000 usage rows SQLite sorts them all (no hash aggregation) and takes
// 0.6–0.9 s; the rollup holds at most 8,640 rows per agent for 30 days, in key order.
import type { Agent } from '../../../shared/domain'
import type { QuotaUnit } from '../../../shared/quotas'
import type { Ledger } from '../db/ledger'

export const FINE_MS = 300_000
const DAY_BUCKETS = 86_400_000 / FINE_MS
/** 31 days (the view reaches back 30 days from the end of an hour that may not have begun), and
 * one more day ahead for rows stamped by a clock running ahead. */
const KEEP = 31 * DAY_BUCKETS
const SLOTS = KEEP + DAY_BUCKETS

export interface AgentBuckets {
  tokens: Float64Array
  usd: Float64Array
  messages: Float64Array
}

export interface UsageBuckets {
  /** Absolute bucket number (ts / FINE_MS) of slot 0. */
  base: number
  agents: Map<string, AgentBuckets>
}

type Row = [agent: string, buckets: string, tokens: string, usd: string, messages: string]

// One row per agent with its columns as JSON arrays: SQLite builds them in C, and JSON.parse reads
// them about three times faster than better-sqlite3 hands over 90,000 rows one by one.
const RANGE_SQL = `SELECT agent, json_group_array(bucket), json_group_array(tokens),
    json_group_array(cost_micros), json_group_array(turns)
  FROM usage_buckets WHERE bucket >= ? AND bucket < ? GROUP BY agent`

/** The buckets from 31 days before `now` to a day after it, per agent that used anything. */
export function usageBuckets(ledger: Ledger, now: number): UsageBuckets {
  const base = Math.floor(now / FINE_MS) - KEEP + 1
  const rows = ledger.sqlite
    .prepare(RANGE_SQL)
    .raw(true)
    .all(base, base + SLOTS) as Row[]
  const agents = new Map<string, AgentBuckets>()
  for (const [agent, bucketList, tokenList, usdList, messageList] of rows) {
    const numbers = JSON.parse(bucketList) as number[]
    const sums = [tokenList, usdList, messageList].map((list) => JSON.parse(list) as number[])
    const series = [0, 1, 2].map(() => new Float64Array(SLOTS))
    for (let i = 0; i < numbers.length; i++) {
      const slot = numbers[i]! - base
      for (let k = 0; k < 3; k++) series[k]![slot] = sums[k]![i]!
    }
    agents.set(agent, { tokens: series[0]!, usd: series[1]!, messages: series[2]! })
  }
  return { base, agents }
}

/** The usage of one agent, ready to be summed over any span of 5-minute buckets. */
export interface AgentUse {
  agent: Agent
  fine: UsageBuckets
  /** When its runs were created (the `runs` unit). */
  runs: number[]
  /** When its capacity begins: added or first used, whichever is earlier. */
  capacityFrom: number
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
