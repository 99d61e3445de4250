// What removing a lane does, in numbers, as `agent/remove` does it (electron/core/agents.ts): every
// spec on the lane goes to Unassigned (a queued one for the allocator to give to another lane),
// its runs stay in the history, and the lane's settings and quota windows go. While runs are at
// work the engine refuses (a run whose lane is gone has nobody to account it to); the app says so
// before it is asked, with the runs' titles.
import { STAGE_LABELS, type SpecCard } from '../../../../shared/domain'
import { counted } from '../../../../shared/format'
import { isRunActive } from '../../../../shared/runs'

export interface LaneRemoval {
  /** Specs with a run at work on the lane (starting, running, waiting in its queue). */
  atWork: SpecCard[]
  /** Sentences on what happens, one per kind of thing on the lane. */
  consequences: string[]
}

export function laneRemoval(lane: string, specs: readonly SpecCard[], pastRuns: number | null) {
  const onLane = specs.filter((spec) => spec.agent === lane)
  const atWork = onLane.filter((spec) => spec.run && isRunActive(spec.run.state))
  const queued = onLane.filter((spec) => !atWork.includes(spec) && spec.status === 'queued')
  const others = onLane.filter((spec) => !atWork.includes(spec) && !queued.includes(spec))
  const consequences: string[] = []
  if (queued.length > 0) {
    consequences.push(
      `${counted(queued.length, 'queued spec')} ${queued.length === 1 ? 'goes' : 'go'} back to Unassigned, for the allocator to give to another lane.`,
    )
  }
  if (others.length > 0) {
    const columns = [...new Set(others.map((spec) => STAGE_LABELS[spec.stage]))].join(' and ')
    consequences.push(
      `${counted(others.length, 'other spec')} on it ${others.length === 1 ? 'moves' : 'move'} to Unassigned in ${columns}.`,
    )
  }
  if (onLane.length === 0) consequences.push('No specs are on it.')
  if (pastRuns === null) consequences.push('Its past runs stay in the history.')
  else if (pastRuns > 0) {
    consequences.push(
      `${counted(pastRuns, 'past run')} ${pastRuns === 1 ? 'stays' : 'stay'} in the history.`,
    )
  }
  consequences.push(
    'Its settings and quota windows go; adding a lane with the same name starts afresh.',
  )
  return { atWork, consequences }
}
