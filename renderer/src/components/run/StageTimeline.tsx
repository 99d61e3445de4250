// The stages the agent reported (scout → scaffold → build → verify → review, or its own), each with
// its latest status; the current one is highlighted while the run is live.
import { isRunActive, type Run, type StageEvent } from '../../../../shared/runs'
import { useClock } from '../../stores/clock'
import { formatTime } from '../../time'

interface StageStep {
  stage: string
  status: string
  message?: string
  at: number
}

/** One step per stage, in first-seen order, carrying its latest status and message. */
export function stageSteps(timeline: StageEvent[]): StageStep[] {
  const steps = new Map<string, StageStep>()
  for (const event of timeline) {
    const previous = steps.get(event.stage)
    steps.set(event.stage, {
      stage: event.stage,
      status: event.status,
      message: event.message ?? previous?.message,
      at: previous?.at ?? event.at,
    })
  }
  return [...steps.values()]
}

export function StageTimeline({ run }: { run: Run }) {
  const steps = stageSteps(run.timeline)
  const now = useClock((s) => s.now)
  if (steps.length === 0) {
    return (
      <p className="stage-timeline-empty muted">
        {isRunActive(run.state) ? 'No stages reported yet.' : 'The agent reported no stages.'}
      </p>
    )
  }
  const live = isRunActive(run.state)
  return (
    <ol className="stage-timeline" aria-label="Stages" data-testid="stage-timeline">
      {steps.map((step, i) => {
        const current = live && i === steps.length - 1
        const failed = /fail|error/i.test(step.status)
        const done = !current && !failed
        return (
          <li
            key={step.stage}
            className={`stage-step${current ? ' stage-current' : ''}${failed ? ' stage-failed' : ''}${done ? ' stage-done' : ''}`}
            title={`${step.stage}: ${step.status}${step.message ? ` — ${step.message}` : ''} (${formatTime(step.at, now)})`}
            data-testid="stage-step"
          >
            <span className="stage-mark" aria-hidden="true">
              {failed ? '✕' : current ? '●' : '✓'}
            </span>
            {step.stage}
          </li>
        )
      })}
    </ol>
  )
}
