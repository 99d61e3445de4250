// The week's figures, read from a ledger by the same code whichever dispatcher wrote it.
import { laneAvailability } from '../../shared/availability'
import { listAgents } from '../../electron/core/agents'
import type { Ledger } from '../../electron/core/db/ledger'
import { queuedSpecs } from '../../electron/core/software/capacity/allocate'
import { nearLimitReason } from '../../electron/core/software/capacity/allocator'
import { readUsage } from '../../electron/core/software/capacity/quotas'
import { runCost } from '../../electron/core/software/capacity/runCost'

export interface IdleReading {
  /**
   * Capacity idles while work waits: a queued spec whose dependencies have shipped, and a lane
   * that could take it by the allocator's own reading (enabled, not held, a free slot, room in
   * every window for a run of its usual cost), at the same moment.
   */
  idle: boolean
  /** When a lane that cannot take work now frees up by itself (a hold or a full window ends). */
  nextOpening: number
}

export function readIdle(ledger: Ledger, now: number): IdleReading {
  let ready = false
  for (const spec of queuedSpecs(ledger).specs) {
    if (spec.waitingOn.length === 0) {
      ready = true
      break
    }
  }
  let idle = false
  let nextOpening = Infinity
  for (const lane of readUsage(ledger, now)) {
    const availability = laneAvailability(lane)
    // The allocator's own reading: a lane with too little left for a run of its usual cost is
    // blocked, not idle, until its window frees some of what it counts.
    const nearLimit = availability.ok && nearLimitReason(lane, runCost(ledger, lane.agent))
    if (availability.ok && !nearLimit) idle = ready
    else if (nearLimit) {
      for (const window of lane.windows) {
        if (window.freesAt !== null) nextOpening = Math.min(nextOpening, window.freesAt)
      }
    } else if (!availability.ok && availability.until !== null) {
      nextOpening = Math.min(nextOpening, availability.until)
    }
  }
  return { idle, nextOpening }
}

interface RunRecord {
  agent: string
  createdAt: number
  endedAt: number | null
  state: string
  limited: boolean
  resetAt: number | null
  tokens: number
}

export interface WeekFigures {
  runs: number
  shipped: number
  limitFailures: number
  /** Started while the lane's usage filled a window, or before a reset its last limit announced. */
  exhaustedStarts: number
  resets: number
  /** Runs started on a lane from a reset until the first of them ended. */
  probes: number
  /** Tokens spent by runs that hit a limit: work thrown away. */
  lostTokens: number
  tokens: number
}

const LIMITS = "('quota_exhausted', 'rate_limited', 'overloaded')"

export function weekFigures(ledger: Ledger, weekEnd: number): WeekFigures {
  const records = ledger.sqlite
    .prepare(
      `SELECT agent, created_at AS createdAt, ended_at AS endedAt, state,
         failure_class IN ${LIMITS} AS limited, reset_at AS resetAt,
         input_tokens + output_tokens + cache_write_tokens AS tokens
       FROM runs ORDER BY created_at, rowid`,
    )
    .all() as RunRecord[]
  const used = ledger.sqlite.prepare(
    `SELECT coalesce(sum(input_tokens + output_tokens + cache_write_tokens), 0) AS n
     FROM usage WHERE agent = ? AND ts > ? AND ts <= ?`,
  )
  const figures: WeekFigures = {
    runs: records.length,
    shipped: records.filter((run) => run.state === 'shipped').length,
    limitFailures: records.filter((run) => run.limited).length,
    exhaustedStarts: 0,
    resets: 0,
    probes: 0,
    lostTokens: records.filter((run) => run.limited).reduce((sum, run) => sum + run.tokens, 0),
    tokens: records.reduce((sum, run) => sum + run.tokens, 0),
  }
  for (const agent of listAgents(ledger)) {
    const lane = records.filter((run) => run.agent === agent.name)
    const spans = exhaustedSpans(lane)
    for (const run of lane) {
      const full = agent.quotas.some(
        (window) =>
          (used.get(agent.name, run.createdAt - window.durationMs, run.createdAt) as { n: number })
            .n >= window.limit,
      )
      const announced = spans.some((span) => span.from <= run.createdAt && run.createdAt < span.to)
      if (full || announced) figures.exhaustedStarts++
    }
    for (const span of spans) {
      const first = lane.find((run) => run.createdAt >= span.to)
      if (!first) continue // the week ended before anything tried the lane again
      const answered = first.endedAt ?? weekEnd
      figures.resets++
      figures.probes += lane.filter(
        (run) => run.createdAt >= span.to && run.createdAt < answered,
      ).length
    }
  }
  return figures
}

/** From each limit a run met to the reset it announced, overlapping stretches merged. */
function exhaustedSpans(lane: RunRecord[]): { from: number; to: number }[] {
  const spans: { from: number; to: number }[] = []
  const limits = lane
    .filter((run) => run.limited && run.endedAt !== null)
    .map((run) => ({ from: run.endedAt!, to: Math.max(run.resetAt ?? run.endedAt!, run.endedAt!) }))
    .sort((a, b) => a.from - b.from)
  for (const limit of limits) {
    const last = spans.at(-1)
    if (last && limit.from <= last.to) last.to = Math.max(last.to, limit.to)
    else spans.push({ ...limit })
  }
  return spans
}
