// Pausing a lane until resumed, or resuming it: what the lane editor's hold button and the
// palette's "Pause bob" / "Resume bob" both do, so the two never disagree.
import { isHeld, type Agent } from '../../../../shared/domain'
import { client } from '../../client'
import { useBoard } from '../../stores/board'
import { useCapacity } from '../../stores/capacity'

type HoldOf = Pick<Agent, 'name' | 'pauseReason' | 'pausedUntil'>

/** What the lane's hold control does now: resume a held lane, pause one that takes runs. */
export function holdAction(agent: HoldOf, now: number): 'pause' | 'resume' {
  return isHeld(agent, now) ? 'resume' : 'pause'
}

/**
 * Pauses the lane until resumed, or resumes it when held; the board and the lane headers read it
 * again. Throws what the engine refused, for the caller to say where the user is looking.
 */
export async function toggleHold(agent: HoldOf, now: number): Promise<void> {
  if (holdAction(agent, now) === 'resume') await client().call('agent/resume', { name: agent.name })
  else await client().call('agent/pause', { name: agent.name })
  void useBoard.getState().load()
  void useCapacity.getState().load()
}
