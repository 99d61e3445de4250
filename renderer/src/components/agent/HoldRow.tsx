// A lane's hold in the lane editor: paused or not, the reason in full, and the button that pauses
// or resumes it at once (not on Save).
import type { Agent } from '../../../../shared/domain'
import { toFactoryError } from '../../../../shared/errors'
import { useClock } from '../../stores/clock'
import { formatTime } from '../../time'
import { holdAction, toggleHold } from './laneHold'

/**
 * The lane's hold as it is now, with the reason in full, and the button that changes it at once
 * (not on Save): pause until resumed, or resume a lane held by hand or after a quota hold.
 */
export function HoldRow({ agent, onError }: { agent: Agent; onError: (message: string) => void }) {
  const now = useClock((s) => s.now)
  const held = holdAction(agent, now) === 'resume'
  const state = held
    ? `Paused ${agent.pausedUntil ? `until ${formatTime(agent.pausedUntil, now)}` : 'until resumed'}: ${agent.pauseReason}`
    : 'Not paused: it takes runs while it has room.'
  const toggle = async () => {
    try {
      await toggleHold(agent, now)
    } catch (e) {
      onError(toFactoryError(e).message)
    }
  }
  return (
    <div className="hold-row">
      <span className="hold-state" data-testid="agent-hold">
        {state}
      </span>
      <button
        type="button"
        className="button button-secondary button-small"
        onClick={() => void toggle()}
      >
        {held ? 'Resume now' : 'Pause lane'}
      </button>
    </div>
  )
}
