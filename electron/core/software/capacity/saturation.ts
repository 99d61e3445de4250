// The saturation view's numbers: each agent's utilization per bucket, the portfolio, and where the
// last 7 days' capacity went (idleWeek.ts).
//
// Utilization, precisely: what the lane meter shows, over time. At the end of each bucket (the last
// one: now), each quota window's use over its rolling duration — the 5 hours, the 7 days up to
// that moment — divided by its limit (tokens: input + output + cache writes, as quotas.ts counts
// them; usd; messages = turns; runs = runs created then), merged with the subscription's own report
// where the lane reads one (the higher of the two, as the meter does: shared/quotas.ts); the
// agent's utilization is the highest over its windows, the one that binds. 1 means a window is full
// (the lane is held). What is left, max(0, 1 − utilization), is idle capacity while the lane could
// work and blocked capacity while it could not (held, paused, disabled: laneHolds.ts), in the share
// of the bucket each took. Before the agent was added (or first used) it has no capacity; an agent
// without windows has none at all: its usage is reported, its utilization is null. The portfolio is
// the mean over the agents with capacity in the bucket, each agent one seat: their units differ
// (tokens, dollars), so only shares can be added.
import { FactoryError } from '../../../../shared/errors'
import { laneSources, type QuotaUnit } from '../../../../shared/quotas'
import {
  DAY_MS,
  SATURATION_MAX_DAYS,
  type AgentSaturation,
  type Saturation,
  type UsageTotals,
} from '../../../../shared/saturation'
import { listAgents } from '../../agents'
import type { Ledger } from '../../db/ledger'
import { currentReports } from '../usageSources/usageReport'
import { idleWeekStart, readIdleWeek } from './idleWeek'
import { blockedShare, laneHolds } from './laneHolds'
import {
  FINE_MS,
  usageBuckets,
  usedBetween,
  windowUtilization,
  type AgentUse,
} from './usageBuckets'

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
  const rangeFrom = to - days * DAY_MS
  const uses = agentUses(ledger, now, Math.min(rangeFrom, idleWeekStart(now)))
  const measured = uses.filter((use) => use.agent.quotas.length)
  const dataFrom = measured.length ? Math.min(...measured.map((use) => use.capacityFrom)) : null
  // The chart fits the data it has: it starts at the bucket where capacity begins, not days before.
  const from =
    dataFrom === null
      ? rangeFrom
      : Math.min(to - bucketMs, Math.max(rangeFrom, Math.floor(dataFrom / bucketMs) * bucketMs))
  const count = (to - from) / bucketMs
  const span = { from, bucketMs, count, now, rangeFrom }
  const agents = uses.map((use) => agentSaturation(use, span))
  return {
    now,
    from,
    to,
    bucketMs,
    timestamps: Array.from({ length: count }, (_, i) => from + i * bucketMs),
    agents,
    ...portfolio(agents, count),
    dataFrom,
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
  const reports = currentReports(ledger, now)
  const firstUse = ledger.sqlite.prepare('SELECT min(ts) AS ts FROM usage WHERE agent = ?')
  return agents.map((agent) => {
    const first = (firstUse.get(agent.name) as { ts: number | null }).ts
    return {
      agent,
      fine,
      runs: runs.get(agent.name) ?? [],
      capacityFrom: Math.min(agent.createdAt, first ?? Infinity),
      reports: reports.get(agent.name) ?? [],
      holds: laneHolds(ledger, agent, spanFrom, now),
    }
  })
}

interface Span {
  from: number
  bucketMs: number
  count: number
  now: number
  /** Where the asked-for range starts (`from` may be later: where the data starts). */
  rangeFrom: number
}

function agentSaturation(use: AgentUse, span: Span): AgentSaturation {
  const { agent } = use
  const used: UsageTotals = { tokens: 0, usd: 0, messages: 0, runs: 0 }
  const rangeMs = span.from + span.count * span.bucketMs - span.rangeFrom
  for (const unit of Object.keys(used) as QuotaUnit[]) {
    used[unit] = usedBetween(use, unit, span.rangeFrom, rangeMs)
  }
  const sources = laneSources(agent.usageSources)
  const holds = use.holds.filter((hold) => hold.to > span.from)
  const base = { agent: agent.name, quotas: agent.quotas, used, sources, holds }
  if (!agent.quotas.length) return { ...base, utilization: null, blocked: null, byReport: [] }
  // Each bucket is judged at its end (the last one at `now`): what its windows held then.
  const starts = Array.from({ length: span.count }, (_, i) => span.from + i * span.bucketMs)
  const ends = starts.map((start) => Math.min(start + span.bucketMs, span.now))
  const windows = agent.quotas.map((window) => windowUtilization(use, window, ends))
  const utilization: (number | null)[] = []
  const blocked: (number | null)[] = []
  const byReport: number[] = []
  ends.forEach((end, i) => {
    if (end <= use.capacityFrom) {
      utilization.push(null)
      blocked.push(null)
      return
    }
    let highest = 0
    let reported = false
    for (const window of windows) {
      const value = window.values[i]!
      if (value > highest || (value === highest && window.byReport[i])) {
        highest = value
        reported = window.byReport[i]!
      }
    }
    if (reported) byReport.push(i)
    utilization.push(round(highest))
    const start = Math.max(starts[i]!, use.capacityFrom)
    blocked.push(round(blockedShare(use.holds, start, Math.max(end, start + 1))))
  })
  return { ...base, utilization, blocked, byReport }
}

function portfolio(
  agents: AgentSaturation[],
  count: number,
): Pick<Saturation, 'portfolio' | 'idle' | 'blocked'> {
  const used: (number | null)[] = []
  const idle: (number | null)[] = []
  const blocked: (number | null)[] = []
  for (let i = 0; i < count; i++) {
    let seats = 0
    let sum = 0
    let idleSum = 0
    let blockedSum = 0
    for (const agent of agents) {
      const value = agent.utilization?.[i]
      if (value === null || value === undefined) continue
      const held = agent.blocked?.[i] ?? 0
      const left = Math.max(0, 1 - value)
      seats++
      sum += value
      idleSum += left * (1 - held)
      blockedSum += left * held
    }
    used.push(seats ? round(sum / seats) : null)
    idle.push(seats ? round(idleSum / seats) : null)
    blocked.push(seats ? round(blockedSum / seats) : null)
  }
  return { portfolio: used, idle, blocked }
}
/** Four decimals (0.01 %) are plenty for a chart and keep 30 days of 5-minute buckets compact. */
function round(value: number): number {
  return Math.round(value * 10_000) / 10_000
}
