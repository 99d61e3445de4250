// The saturation view's numbers: each agent's utilization per bucket, the portfolio, and the idle
// quota of the last 7 days (idleWeek.ts).
//
// Utilization, precisely. A quota window of limit L over duration D refills at L / D, so a bucket
// of B ms holds L × B / D of capacity in that window's unit (tokens: input + output + cache writes,
// as quotas.ts counts them; usd; messages = turns; runs = runs created then). A bucket's utilization
// for the window is what the agent used in the bucket, in that unit, divided by that capacity; the
// agent's utilization is the highest over its windows, the one that binds. 1 means used exactly as
// fast as the window allows; above 1 is faster, fine for a while (it borrows from the rest of the
// window). Idle capacity is max(0, 1 − utilization). Capacity starts with the bucket in which the
// agent was added or first used, whichever is earlier, and stops at `now` (the last bucket is
// partial: its capacity is what has elapsed of it). An agent
// without windows has no capacity: its usage is reported, its utilization is null. The portfolio is
// the mean over the agents with capacity in the bucket, each agent one seat: their units differ
// (tokens, dollars), so only shares of capacity can be added.
import { FactoryError } from '../../../shared/errors'
import type { QuotaUnit } from '../../../shared/quotas'
import {
  DAY_MS,
  SATURATION_MAX_DAYS,
  type AgentSaturation,
  type Saturation,
  type UsageTotals,
} from '../../../shared/saturation'
import { listAgents } from '../agents'
import type { Ledger } from '../db/ledger'
import { idleWeekStart, readIdleWeek } from './idleWeek'
import { FINE_MS, usageBuckets, usedBetween, type AgentUse } from './usageBuckets'

export interface SaturationQuery {
  now: number
  /** 1..30 days back from the end of the bucket holding `now`. */
  days: number
  /** A multiple of 5 minutes that divides a day: 3_600_000 or 300_000. */
  bucketMs: number
}

/** A bucket only seconds old would be judged on seconds of capacity: count at least a minute. */
const MIN_ELAPSED_MS = 60_000

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

function agentUses(ledger: Ledger, now: number, runsFrom: number): AgentUse[] {
  const fine = usageBuckets(ledger, now)
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
  return listAgents(ledger).map((agent) => {
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

/** Used in `unit` per bucket of the span. */
function bucketSeries(use: AgentUse, unit: QuotaUnit, span: Span): Float64Array {
  const series = new Float64Array(span.count)
  if (unit === 'runs') {
    for (const at of use.runs) {
      const i = Math.floor((at - span.from) / span.bucketMs)
      if (i >= 0 && i < span.count) series[i]! += 1
    }
    return series
  }
  const fine = use.fine.agents.get(use.agent.name)?.[unit]
  if (!fine) return series
  const perBucket = span.bucketMs / FINE_MS
  const first = span.from / FINE_MS - use.fine.base
  for (let i = 0; i < span.count; i++) {
    let sum = 0
    for (let slot = first + i * perBucket; slot < first + (i + 1) * perBucket; slot++) {
      sum += fine[slot] ?? 0
    }
    series[i] = sum
  }
  return series
}

function agentSaturation(use: AgentUse, span: Span): AgentSaturation {
  const { agent } = use
  const used: UsageTotals = { tokens: 0, usd: 0, messages: 0, runs: 0 }
  for (const unit of Object.keys(used) as QuotaUnit[]) {
    used[unit] = usedBetween(use, unit, span.from, span.count * span.bucketMs)
  }
  if (!agent.quotas.length) return { agent: agent.name, quotas: [], utilization: null, used }
  const windows = agent.quotas.map((window) => ({
    rate: window.limit / window.durationMs,
    used: bucketSeries(use, window.unit, span),
  }))
  const utilization: (number | null)[] = []
  for (let i = 0; i < span.count; i++) {
    const start = span.from + i * span.bucketMs
    if (start + span.bucketMs <= use.capacityFrom) {
      utilization.push(null)
      continue
    }
    // The bucket where capacity begins counts whole: usage is recorded after the work it measures,
    // so the first delta would otherwise be divided by the few minutes since its own timestamp.
    const elapsed = Math.min(start + span.bucketMs, span.now) - start
    let highest = 0
    for (const window of windows) {
      highest = Math.max(
        highest,
        window.used[i]! / (window.rate * Math.max(elapsed, MIN_ELAPSED_MS)),
      )
    }
    utilization.push(round(highest))
  }
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
