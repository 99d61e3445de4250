// Usage per agent in 5-minute buckets over the last month, kept in memory per ledger and brought up
// to date with only the rows added since the last read. Why not one GROUP BY per read: over
// 1,000,000 usage rows SQLite has to sort them all (no hash aggregation) and takes 0.6–0.9 s, while
// the saturation view re-reads on every usage push. Usage rows are only ever appended (ids only
// grow, nothing updates or deletes them), so "rows with a higher id" is exactly what is new, imported
// rows with old timestamps included.
import type { Agent } from '../../../shared/domain'
import type { QuotaUnit } from '../../../shared/quotas'
import type { Ledger } from '../db/ledger'

export const FINE_MS = 300_000
const DAY_BUCKETS = 86_400_000 / FINE_MS
/** 31 days kept (the view reaches back 30 days from the end of an hour that may not have begun). */
const KEEP = 31 * DAY_BUCKETS
/** One day of slack, so the arrays shift once a day, not on every read. */
const SLOTS = KEEP + DAY_BUCKETS

export interface AgentBuckets {
  tokens: Float64Array
  usd: Float64Array
  messages: Float64Array
}

export interface UsageBuckets {
  /** Absolute bucket index (ts / FINE_MS) of slot 0. */
  base: number
  /** The highest usage id counted. */
  lastId: number
  /** Rows stamped beyond the last slot were left out: moving the slots on must count again. */
  skippedAhead: boolean
  agents: Map<string, AgentBuckets>
}

type Row = [agent: string, bucket: number, tokens: number, usd: number, messages: number]

// Tokens count input, output and cache writes, as quota windows do (quotas.ts).
const SUMS = `sum(input_tokens + output_tokens + cache_write_tokens), sum(cost_micros), sum(turns)`
// CAST: better-sqlite3 binds JS numbers as REAL, which would make `/` a float division.
const BUCKET = `ts / ${FINE_MS}`
const ALL_SQL = `SELECT agent, ${BUCKET} AS b, ${SUMS} FROM usage
  WHERE ts >= CAST(:from AS INTEGER) AND id <= :upTo GROUP BY agent, b`
const NEW_SQL = `SELECT agent, ${BUCKET} AS b, ${SUMS} FROM usage
  WHERE id > :lastId AND id <= :upTo AND ts >= CAST(:from AS INTEGER) GROUP BY agent, b`

const caches = new WeakMap<Ledger, UsageBuckets>()

/** The buckets, current up to the ledger's newest usage row; slots cover `now` and 31 days back. */
export function usageBuckets(ledger: Ledger, now: number): UsageBuckets {
  const nowBucket = Math.floor(now / FINE_MS)
  const wantedBase = nowBucket - KEEP + 1
  let cache = caches.get(ledger)
  // A clock that went back (tests) needs slots the cache dropped: count again from scratch.
  const due = cache && nowBucket + DAY_BUCKETS >= cache.base + SLOTS
  if (!cache || wantedBase < cache.base || (due && cache.skippedAhead)) {
    cache = { base: wantedBase, lastId: 0, skippedAhead: false, agents: new Map() }
    caches.set(ledger, cache)
  } else if (due) {
    shift(cache, wantedBase)
  }
  const upTo = ledger.sqlite.prepare('SELECT coalesce(max(id), 0) AS id FROM usage').get() as {
    id: number
  }
  if (upTo.id > cache.lastId) {
    const sql = cache.lastId === 0 ? ALL_SQL : NEW_SQL
    const from = cache.base * FINE_MS
    const params =
      cache.lastId === 0 ? { from, upTo: upTo.id } : { from, upTo: upTo.id, lastId: cache.lastId }
    const rows = ledger.sqlite.prepare(sql).raw(true).all(params) as Row[]
    add(cache, rows)
    cache.lastId = upTo.id
  }
  return cache
}

function add(cache: UsageBuckets, rows: Row[]): void {
  for (const [agent, bucket, tokens, usd, messages] of rows) {
    const slot = bucket - cache.base
    // A row stamped more than a day ahead (a wrong clock) has no slot yet.
    if (slot >= SLOTS) {
      cache.skippedAhead = true
      continue
    }
    let buckets = cache.agents.get(agent)
    if (!buckets) {
      buckets = {
        tokens: new Float64Array(SLOTS),
        usd: new Float64Array(SLOTS),
        messages: new Float64Array(SLOTS),
      }
      cache.agents.set(agent, buckets)
    }
    buckets.tokens[slot]! += tokens
    buckets.usd[slot]! += usd
    buckets.messages[slot]! += messages
  }
}

/** Drops the oldest slots so `base` becomes `newBase`; the slots freed at the end start at zero. */
function shift(cache: UsageBuckets, newBase: number): void {
  const by = newBase - cache.base
  for (const buckets of cache.agents.values()) {
    for (const series of [buckets.tokens, buckets.usd, buckets.messages]) {
      series.copyWithin(0, Math.min(by, SLOTS))
      series.fill(0, Math.max(0, SLOTS - by))
    }
  }
  cache.base = newBase
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
