// The allocator's answer for one round: which queued spec went to which lane and why, and why the
// others wait. Shared by the engine (which decides), the CLI and the board.
import type { SpecId } from './domain'
import type { RunId } from './runs'

export interface AllocationDecision {
  spec: SpecId
  title: string
  /** The lane it went to (or would go to, in a dry run). */
  agent: string
  /** "to alice: 12% of 5h tokens used, 0/2 running · bob paused until 18:00". */
  reason: string
  /** The run started; absent in a dry run or when the dispatch was refused. */
  run?: RunId
  /** Set when dispatching failed after all (another process took the slot, a CLI went missing). */
  refused?: string
}

export interface AllocationWait {
  spec: SpecId
  title: string
  reason: string
}

/** A lane as a round that started nothing saw it. */
export interface AllocationLane {
  agent: string
  /** Why it took nothing: "alice paused until 18:00", "gordon busy (1/1 running)", "bob off". */
  reason: string
  /** It had room for a run: what waited did not fit it, or waited for something else. */
  room: boolean
}

export interface AllocationRound {
  dryRun: boolean
  /** False when auto-dispatch is off and the round was not asked for by hand. */
  dispatched: AllocationDecision[]
  waiting: AllocationWait[]
  /** Queued specs that were not looked at individually once no lane had room (counted only). */
  moreWaiting: number
  /**
   * When specs waited and none was placed: every lane and why it took nothing. Empty otherwise
   * (each placement's reason already names the other lanes).
   */
  lanes: AllocationLane[]
}

/** Lanes a sentence names before it only counts the rest. */
const LANES_SAID = 3

/** A placement after the lane's name: "bob: 6% of 5h runs used, 0/2 running · alice paused". */
export function placementWords(decision: AllocationDecision): string {
  // The reason names the lane first ("to bob: …"), so it is not said twice.
  return decision.reason.startsWith(`to ${decision.agent}:`)
    ? decision.reason.slice(3)
    : `${decision.agent} (${decision.reason})`
}

/**
 * Why a round started nothing, lane by lane, when no lane had room: "alice paused until 18:00 ·
 * gordon busy (1/1 running)". Null when some lane had room (then a spec's own reason says why it
 * waits) or there are no lanes.
 */
export function noRoomWords(round: AllocationRound): string | null {
  const { lanes } = round
  if (lanes.length === 0 || lanes.some((lane) => lane.room)) return null
  const said = lanes.slice(0, LANES_SAID).map((lane) => lane.reason)
  if (lanes.length > LANES_SAID) said.push(`${lanes.length - LANES_SAID} more`)
  return said.join(' · ')
}

/** "Nothing started", or in a dry run "Nothing would start". */
export function nothingStarted(round: AllocationRound): string {
  return round.dryRun ? 'Nothing would start' : 'Nothing started'
}

/**
 * One round in a sentence, as the board's toast and the CLI say it: what started and why there,
 * what could not start after all, and why the rest wait ("Nothing started: alice paused until
 * 18:00 · gordon busy (1/1 running)"). Spec ids stay ids: a host may name them by title.
 * `howToQueue` follows "Nothing is waiting" in the host's own words.
 */
export function describeRound(round: AllocationRound, howToQueue?: string): string {
  const started = round.dispatched.filter((d) => !d.refused)
  const refused = round.dispatched.filter((d) => d.refused)
  const waiting = round.waiting.length + round.moreWaiting
  const parts: string[] = []
  const [first, ...others] = started
  if (first) {
    const also = others.slice(0, 2).map((d) => `“${d.title}” on ${d.agent}`)
    if (others.length > 2) also.push(`${others.length - 2} more`)
    parts.push(
      `${round.dryRun ? 'Would start' : 'Started'} “${first.title}” on ${placementWords(first)}` +
        (also.length > 0 ? `; also ${also.join(', ')}` : ''),
    )
  }
  for (const d of refused.slice(0, 2))
    parts.push(`“${d.title}” could not start on ${d.agent}: ${d.refused}`)
  const nothing = started.length === 0 && refused.length === 0 ? `${nothingStarted(round)}: ` : ''
  const noRoom = started.length === 0 ? noRoomWords(round) : null
  const next = round.waiting[0]
  if (noRoom) parts.push(`${nothing}${noRoom}`)
  else if (next) {
    const more = waiting > 1 ? ` (${waiting - 1} more waiting)` : ''
    // "waits for … to ship" reads after the title; any other reason is why it waits.
    const reason = next.reason.startsWith('waits ') ? next.reason : `waits: ${next.reason}`
    parts.push(`${nothing}“${next.title}” ${reason}${more}`)
  }
  if (parts.length > 0) return parts.join('; ')
  return howToQueue ? `Nothing is waiting: ${howToQueue}` : 'Nothing is waiting'
}
