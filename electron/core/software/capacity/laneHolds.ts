// When a lane could not work: its holds (a quota hold, a pause by hand, the breaker) and the times it
// was disabled, read back from its own events, and the times every one of its slots was taken (its
// runs at once, a remote lane's queue included). Capacity unused then is blocked, not idle: no
// dispatch could have used it; more specs would not have helped, a higher cap might.
import type { Agent } from '../../../../shared/domain'
import { ACTIVE_RUN_STATES } from '../../../../shared/runs'
import type { LaneHold } from '../../../../shared/saturation'
import type { Ledger } from '../../db/ledger'

interface EventRow {
  type: string
  ts: number
  payload: string
}

const TYPES = ['agent.added', 'agent.edited', 'agent.paused', 'agent.resumed', 'agent.removed']

/** The lane's holds that overlap [from, now], clipped to it, oldest first. */
export function laneHolds(ledger: Ledger, agent: Agent, from: number, now: number): LaneHold[] {
  const rows = ledger
    .statement(
      `SELECT type, ts, payload FROM events
       WHERE subject = ? AND type IN (${TYPES.map(() => '?').join(', ')}) ORDER BY seq`,
    )
    .all(`agent:${agent.name}`, ...TYPES) as EventRow[]
  // A run's slot is taken from its dispatch (a remote one waits in the queue) to its end; one still
  // at work takes it until now.
  const runs = ledger
    .statement(
      `SELECT "from", "to" FROM (
         SELECT created_at AS "from",
           CASE WHEN state IN (${ACTIVE_RUN_STATES.map((s) => `'${s}'`).join(', ')}) THEN ?
             ELSE coalesce(ended_at, updated_at) END AS "to"
         FROM runs WHERE agent = ? AND created_at < ?)
       WHERE "to" > ?`,
    )
    .all(now, agent.name, now, from) as RunSpan[]
  return [...holdsFromEvents(rows, now), ...capHolds(runs, agent.maxConcurrent, now)]
    .filter((hold) => hold.to > from)
    .map((hold) => ({ ...hold, from: Math.max(hold.from, from) }))
    .sort((a, b) => a.from - b.from)
}

export interface RunSpan {
  from: number
  to: number
}

/**
 * The stretches when at least `cap` of the runs were at work at once: the lane had no slot for
 * another run. Read against its cap of today (a cap changed during the week is not replayed).
 */
export function capHolds(runs: readonly RunSpan[], cap: number, now: number): LaneHold[] {
  // +1 at a start, -1 at an end; at one instant an end comes first, so a run that starts as
  // another ends opens a new stretch rather than counting twice.
  const edges = runs
    .flatMap((run) => [
      { at: run.from, step: 1 },
      { at: Math.min(run.to, now), step: -1 },
    ])
    .sort((a, b) => a.at - b.at || a.step - b.step)
  const holds: LaneHold[] = []
  let open = 0
  let since: number | null = null
  for (const { at, step } of edges) {
    open += step
    if (open >= cap && since === null) since = at
    if (open < cap && since !== null) {
      if (at > since) holds.push(hold('cap', since, at, null, now))
      since = null
    }
  }
  if (since !== null && now > since) holds.push(hold('cap', since, now, null, now))
  return holds
}

/** A lane's holds from its events, in the order they were written. */
export function holdsFromEvents(rows: EventRow[], now: number): LaneHold[] {
  const holds: LaneHold[] = []
  let paused: { from: number; until: number | null; reason: string | null } | null = null
  let disabledSince: number | null = null
  const endPause = (at: number) => {
    if (!paused) return
    const to = Math.min(at, paused.until ?? Infinity)
    // One written this very moment still says the lane is held.
    const current = at >= now && (paused.until ?? Infinity) > now
    if (to > paused.from || current) holds.push(hold('paused', paused.from, to, paused.reason, now))
    paused = null
  }
  const endDisabled = (at: number) => {
    if (disabledSince !== null && (at > disabledSince || at >= now)) {
      holds.push(hold('disabled', disabledSince, at, null, now))
    }
    disabledSince = null
  }
  for (const row of rows) {
    const payload = JSON.parse(row.payload) as Record<string, unknown>
    if (row.type === 'agent.added' || row.type === 'agent.removed') {
      // A lane removed and added again under its name starts afresh.
      endPause(row.ts)
      endDisabled(row.ts)
      if (row.type === 'agent.added' && payload.enabled === false) disabledSince = row.ts
    } else if (row.type === 'agent.edited') {
      const changed = (payload.changed ?? {}) as { enabled?: boolean }
      if (changed.enabled === false && disabledSince === null) disabledSince = row.ts
      if (changed.enabled === true) endDisabled(row.ts)
    } else if (row.type === 'agent.paused') {
      endPause(row.ts)
      paused = {
        from: row.ts,
        until: typeof payload.until === 'number' ? payload.until : null,
        reason: typeof payload.reason === 'string' ? payload.reason : null,
      }
    } else if (row.type === 'agent.resumed') {
      endPause(row.ts)
    }
  }
  endPause(now)
  endDisabled(now)
  return holds.sort((a, b) => a.from - b.from)
}

function hold(
  kind: LaneHold['kind'],
  from: number,
  to: number,
  reason: string | null,
  now: number,
): LaneHold {
  const end = Math.min(to, now)
  return { from, to: end, kind, reason, current: to >= now }
}

/** The share of [start, end) covered by any hold, 0..1 (holds may overlap: paused and disabled). */
export function blockedShare(holds: readonly LaneHold[], start: number, end: number): number {
  if (end <= start || !holds.length) return 0
  let covered = 0
  let reach = start
  for (const { from, to } of holds) {
    // Sorted by start: each adds only what lies past what earlier ones covered.
    const a = Math.max(from, reach)
    const b = Math.min(to, end)
    if (b > a) {
      covered += b - a
      reach = b
    }
    if (reach >= end) break
  }
  return covered / (end - start)
}
