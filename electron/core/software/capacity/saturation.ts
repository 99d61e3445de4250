// The saturation view's numbers: each agent's utilization per bucket, the portfolio, and the idle
// quota of the last 7 days (idleWeek.ts).
//
// Utilization, precisely: what the lane meter shows, over time. At the end of each bucket (the last
// one: now), each quota window's use over its rolling duration — the 5 hours, the 7 days up to
// that moment — divided by its limit (tokens: input + output + cache writes, as quotas.ts counts
// them; usd; messages = turns; runs = runs created then); the agent's utilization is the highest
// over its windows, the one that binds. 1 means a window is full (the lane is held); idle capacity
// is max(0, 1 − utilization): what the lane could still have taken then. Before the agent was
// added (or first used) it has no capacity; an agent without windows has none at all: its usage is
// reported, its utilization is null. The portfolio is the mean over the agents with capacity in the
// bucket, each agent one seat: their units differ (tokens, dollars), so only shares can be added.
import { FactoryError } from '../../../../shared/errors'
import type { QuotaUnit } from '../../../../shared/quotas'
import {
  DAY_MS,
  SATURATION_MAX_DAYS,
  type AgentSaturation,
  type Saturation,
  type UsageTotals,
} from '../../../../shared/saturation'
import { listAgents } from '../../agents'
import type { Ledger } from '../../db/ledger'
import { idleWeekStart, readIdleWeek } from './idleWeek'
import { FINE_MS, rollingUse, usageBuckets, usedBetween, type AgentUse } from './usageBuckets'

export interface SaturationQuery {
  now: number
  /** 1..30 days back from the end of the bucket holding `now`. */
  days: number
  /** A multiple of 5 minutes that divides a day: 3_600_000 or 300_000. */
  bucketMs: number
}

export function readSaturation(ledger: Ledger, query: SaturationQuery): Saturation {
  const { now, days, bucketMs } = query
  if (!Number.isInteger(days) || days < 1 || days > SATURATION_MAX_DAYS) {
    throw new FactoryError(
      'InvalidInput',
      `days is a whole number from 1 to ${SATURATION_MAX_DAYS}`,
    )
  }
  if (bucketMs % FINE_MS !== 0 || DAY_MS % bucketMs !== 0) {
    throw new FactoryError('InvalidInput', 'a bucket is a multiple of 5 minutes that divides a day')
  }
  const to = (Math.floor(now / bucketMs) + 1) * bucketMs
  const from = to - days * DAY_MS
  const count = (days * DAY_MS) / bucketMs
  const uses = agentUses(ledger, now, Math.min(from, idleWeekStart(now)))
  const span = { from, bucketMs, count, now }
  const agents = uses.map((use) => agentSaturation(use, span))
  return {
    now,
    from,
    to,
    bucketMs,
    timestamps: Array.from({ length: count }, (_, i) => from + i * bucketMs),
    agents,
    ...portfolio(agents, count),
    week: readIdleWeek(uses, now),
  }
}

function agentUses(ledger: Ledger, now: number, spanFrom: number): AgentUse[] {
  const agents = listAgents(ledger)
  // The first bucket's windows reach back their own length before it.
  const longest = Math.max(0, ...agents.flatMap((a) => a.quotas.map((q) => q.durationMs)))
  const runsFrom = spanFrom - longest
  const fine = usageBuckets(ledger, runsFrom, now)
  const runs = new Map<string, number[]>()
  const runRows = ledger.sqlite
    .prepare('SELECT agent, created_at FROM runs WHERE created_at >= ? AND created_at <= ?')
    .raw(true)
    .all(runsFrom, now) as [string, number][]
  for (const [agent, at] of runRows) {
    const times = runs.get(agent)
    if (times) times.push(at)
    else runs.set(agent, [at])
  }
  const firstUse = ledger.sqlite.prepare('SELECT min(ts) AS ts FROM usage WHERE agent = ?')
  return agents.map((agent) => {
    const first = (firstUse.get(agent.name) as { ts: number | null }).ts
    return {
      agent,
      fine,
      runs: runs.get(agent.name) ?? [],
      capacityFrom: Math.min(agent.createdAt, first ?? Infinity),
    }
  })
}

interface Span {
  from: number
  bucketMs: number
  count: number
  now: number
}

function agentSaturation(use: AgentUse, span: Span): AgentSaturation {
  const { agent } = use
  const used: UsageTotals = { tokens: 0, usd: 0, messages: 0, runs: 0 }
  for (const unit of Object.keys(used) as QuotaUnit[]) {
    used[unit] = usedBetween(use, unit, span.from, span.count * span.bucketMs)
  }
  if (!agent.quotas.length) return { agent: agent.name, quotas: [], utilization: null, used }
  // Each bucket is judged at its end (the last one at `now`): what its windows held then.
  const ends = Array.from({ length: span.count }, (_, i) =>
    Math.min(span.from + (i + 1) * span.bucketMs, span.now),
  )
  const windows = agent.quotas.map((window) =>
    rollingUse(use, window.unit, window.durationMs, ends).map((u) => u / window.limit),
  )
  const utilization = ends.map((end, i) => {
    if (end <= use.capacityFrom) return null
    let highest = 0
    for (const window of windows) highest = Math.max(highest, window[i]!)
    return round(highest)
  })
  return { agent: agent.name, quotas: agent.quotas, utilization, used }
}

function portfolio(
  agents: AgentSaturation[],
  count: number,
): Pick<Saturation, 'portfolio' | 'idle'> {
  const used: (number | null)[] = []
  const idle: (number | null)[] = []
  for (let i = 0; i < count; i++) {
    let seats = 0
    let sum = 0
    let idleSum = 0
    for (const { utilization } of agents) {
      const value = utilization?.[i]
      if (value === null || value === undefined) continue
      seats++
      sum += value
      idleSum += Math.max(0, 1 - value)
    }
    used.push(seats ? round(sum / seats) : null)
    idle.push(seats ? round(idleSum / seats) : null)
  }
  return { portfolio: used, idle }
}

/** Four decimals (0.01 %) are plenty for a chart and keep 30 days of 5-minute buckets compact. */
function round(value: number): number {
  return Math.round(value * 10_000) / 10_000
}
