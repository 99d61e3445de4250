// The drawer's Runs section: start a run on an agent, and the spec's runs, newest first.
import { useState } from 'react'
import { laneAvailability } from '../../../../shared/availability'
import type { Spec } from '../../../../shared/domain'
import { toFactoryError } from '../../../../shared/errors'
import { formatUsd } from '../../../../shared/format'
import { isRunActive } from '../../../../shared/runs'
import { client } from '../../client'
import { useBoard } from '../../stores/board'
import { useCapacity } from '../../stores/capacity'
import { useLiveNow } from '../../stores/clock'
import { useUi } from '../../stores/ui'
import { useSpecRuns } from '../../runs/useRun'
import {
  laneRefusal,
  placementWords,
  refusalWords,
  runName,
  runnerWords,
} from '../../board/wording'
import { formatDuration } from '../../time'
import { InlineError } from '../InlineError'
import { RunMerge } from './RunActions'
import { RunStateBadge } from './RunStateBadge'

export function SpecRuns({ spec }: { spec: Spec }) {
  const agents = useBoard((s) => s.agents)
  const { runs, error } = useSpecRuns(spec.id)
  // Its own lane, else the first lane that can take a run now, else the first lane.
  const [agent, setAgent] = useState<string>(() => {
    const { byAgent } = useCapacity.getState()
    const free = agents.find((a) => {
      const usage = byAgent[a.name]
      return usage !== undefined && laneAvailability(usage).ok
    })
    return spec.agent ?? free?.name ?? agents[0]?.name ?? ''
  })
  const [starting, setStarting] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  // A refusal the lane's settings can mend (its CLI not found): offered as a button beside it.
  const [settingsFix, setSettingsFix] = useState<string | null>(null)
  const active = runs?.find((r) => isRunActive(r.state))
  // Each second while a run is at work, so its duration ticks; else the board's half-minute.
  const now = useLiveNow(Boolean(active))
  const capacity = useCapacity((s) => s.byAgent)

  const dispatch = () => {
    if (!agent) return
    setStarting(true)
    setProblem(null)
    setSettingsFix(null)
    client()
      .call('run/dispatch', { spec: spec.id, agent })
      .then(
        (run) => useUi.getState().openRun(run.id),
        (failure: unknown) => {
          const { specs } = useBoard.getState()
          const titleOf = (id: string) => specs.find((s) => s.id === id)?.title
          const refusal = toFactoryError(failure)
          setProblem(refusalWords(refusal.message, titleOf))
          if (refusal.code === 'AgentCliMissing') setSettingsFix(agent)
        },
      )
      .finally(() => setStarting(false))
  }

  return (
    <section className="spec-runs" aria-label="Runs">
      <h3 className="drawer-section">Runs</h3>
      {agents.length === 0 ? (
        <p className="muted">
          No lane to run it on yet.{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => useUi.getState().openDialog({ kind: 'agent', name: null })}
          >
            Add a lane
          </button>
        </p>
      ) : (
        <div className="dispatch-row">
          <select
            className="select select-small"
            aria-label="Agent to run it"
            value={agent}
            onChange={(e) => {
              setAgent(e.target.value)
              setProblem(null) // the refusal was about the other agent
              setSettingsFix(null)
            }}
          >
            {agents.map((a) => {
              // A lane that cannot start it now says so in the list, as a drop's target does.
              const usage = capacity[a.name]
              const refusal = usage ? laneRefusal(usage, now) : null
              return (
                <option key={a.name} value={a.name}>
                  {a.name} — {refusal ?? runnerWords(a.runner)}
                </option>
              )
            })}
          </select>
          <button
            type="button"
            className="button button-primary button-small"
            data-testid="dispatch"
            disabled={starting || Boolean(active) || !agent}
            title={active ? `${runName(active, now)} is still at work` : undefined}
            onClick={dispatch}
          >
            {starting ? 'Starting…' : runs && runs.length > 0 ? 'Run again' : 'Run'}
          </button>
        </div>
      )}
      <InlineError message={problem ?? error} testId="dispatch-error" />
      {problem && settingsFix && (
        <button
          type="button"
          className="link-button"
          data-testid="dispatch-fix"
          onClick={() => useUi.getState().openDialog({ kind: 'agent', name: settingsFix })}
        >
          Set where {settingsFix}’s CLI is, in its settings
        </button>
      )}
      {runs && runs.length === 0 && <p className="muted">No runs yet.</p>}
      {runs && runs.length > 0 && (
        <ul className="run-list">
          {runs.map((run) => (
            <li key={run.id}>
              <button
                type="button"
                className="run-list-item"
                data-testid="run-item"
                onClick={() => useUi.getState().openRun(run.id)}
              >
                <span className="run-list-name">{runName(run, now)}</span>
                <RunStateBadge
                  state={run.state}
                  stage={run.stage}
                  failureClass={run.failure?.class}
                />
                <span className="run-list-meta" data-testid="run-item-meta">
                  {[
                    run.startedAt &&
                      `${isRunActive(run.state) ? 'for' : 'took'} ${formatDuration(Math.max(0, (run.endedAt ?? now) - run.startedAt))}`,
                    run.usage.costMicros > 0 && formatUsd(run.usage.costMicros),
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
                {run.placement && (
                  <span className="run-list-placement" data-testid="run-placement">
                    {placementWords(run.placement)}
                  </span>
                )}
              </button>
              <RunMerge run={run} runs={runs} />
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
