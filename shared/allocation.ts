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

export interface AllocationRound {
  dryRun: boolean
  /** False when auto-dispatch is off and the round was not asked for by hand. */
  dispatched: AllocationDecision[]
  waiting: AllocationWait[]
  /** Queued specs that were not looked at individually once no lane had room (counted only). */
  moreWaiting: number
}
