// A run's state as a coloured dot and words: "running · build", "failed · rate limit" (the
// failure in the board's words, never its class).
import { isRunActive, type FailureClass, type RunState } from '../../../../shared/runs'
import { FAILURE_WORDS } from '../../board/wording'

export function RunStateBadge(props: {
  state: RunState
  stage?: string | null
  failureClass?: FailureClass | null
}) {
  const detail = props.failureClass
    ? (FAILURE_WORDS[props.failureClass] ?? props.failureClass)
    : isRunActive(props.state)
      ? props.stage
      : null
  return (
    // A run the user cancelled did not go wrong: it reads quieter than a failure.
    <span
      className={`status status-${props.failureClass === 'cancelled' ? 'cancelled' : props.state}`}
      data-testid="run-state"
    >
      <span className="status-dot" aria-hidden="true" />
      {props.state}
      {detail && <span className="status-detail"> · {detail}</span>}
    </span>
  )
}
