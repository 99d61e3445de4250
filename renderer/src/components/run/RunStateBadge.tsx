// A run's state as a coloured dot and words: "running · build", "failed · rate_limited".
import { isRunActive, type FailureClass, type RunState } from '../../../../shared/runs'

export function RunStateBadge(props: {
  state: RunState
  stage?: string | null
  failureClass?: FailureClass | null
}) {
  const detail = props.failureClass ?? (isRunActive(props.state) ? props.stage : null)
  return (
    // A run the user cancelled did not go wrong: it reads quieter than a failure.
    <span
      className={`status status-${props.failureClass === 'cancelled' ? 'cancelled' : props.state}`}
      data-testid="run-state"
    >
      <span className="status-dot" aria-hidden="true" />
      {props.state}
      {detail && <span className="status-detail"> · {detail.replaceAll('_', ' ')}</span>}
    </span>
  )
}
