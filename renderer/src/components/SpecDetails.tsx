// A spec read-only: its facts (with stage and lane as selects that move it) and its rendered body.
import { isPinnedTo, type Spec, type Stage } from '../../../shared/domain'
import { useBoard } from '../stores/board'
import { useClock } from '../stores/clock'
import { moveCard } from '../stores/moveCard'
import { formatAge, formatFullTime } from '../time'
import { Markdown } from './Markdown'
import { LaneSelect, StageSelect } from './PlacementSelects'
import { SpecRuns } from './run/SpecRuns'
import { SpecDependencies } from './spec/SpecDependencies'
import { StatusBadge } from './StatusBadge'
import './card.css'

interface SpecDetailsProps {
  spec: Spec
  onEdit: () => void
  /** A change saved from here (its dependencies): the spec as the engine now has it. */
  onChange: (updated: Spec) => void
}

export function SpecDetails({ spec, onEdit, onChange }: SpecDetailsProps) {
  const agents = useBoard((s) => s.agents)
  const now = useClock((s) => s.now)
  const laneNames = agents.map((a) => a.name)
  if (spec.agent && !laneNames.includes(spec.agent)) laneNames.push(spec.agent)

  const pinned = spec.agent !== null && isPinnedTo(spec, spec.agent)
  const move = (stage: Stage, agent: string | null) => void moveCard(spec.id, { stage, agent })
  return (
    <>
      <h2 className="drawer-title">{spec.title}</h2>
      <dl className="facts">
        <dt>Stage</dt>
        <dd>
          <StageSelect
            className="select select-small"
            aria-label="Stage"
            value={spec.stage}
            onChange={(stage) => move(stage, spec.agent)}
          />
        </dd>
        <dt>Lane</dt>
        <dd className={pinned ? 'facts-wrap' : undefined}>
          <LaneSelect
            className="select select-small"
            aria-label="Lane"
            value={spec.agent}
            lanes={laneNames}
            onChange={(agent) => move(spec.stage, agent)}
          />
          {pinned && (
            <p className="facts-note" data-testid="drawer-pin">
              Pinned: only {spec.agent} runs it, even while another lane is free.{' '}
              <button type="button" className="link-button" onClick={() => move('software', null)}>
                Let any lane take it
              </button>
            </p>
          )}
        </dd>
        <dt>Status</dt>
        <dd>
          <StatusBadge status={spec.status} />
        </dd>
        <dt>Created</dt>
        <dd title={formatFullTime(spec.createdAt)}>{formatAge(spec.createdAt, now)}</dd>
        <dt>Updated</dt>
        <dd title={formatFullTime(spec.updatedAt)}>{formatAge(spec.updatedAt, now)}</dd>
        <dt>Priority</dt>
        <dd>{spec.priority}</dd>
        <dt>Tags</dt>
        <dd className="facts-chips">
          {spec.tags.length === 0 && <span className="muted">None</span>}
          {spec.tags.map((tag) => (
            <span key={tag} className="chip">
              {tag}
            </span>
          ))}
        </dd>
        <SpecDependencies spec={spec} onChange={onChange} />
        {spec.blueprint && (
          <>
            <dt>Blueprint</dt>
            <dd>
              <code className="code">{spec.blueprint}</code>
            </dd>
          </>
        )}
      </dl>
      <SpecRuns spec={spec} />
      <h3 className="drawer-section">Description</h3>
      {spec.body.trim() ? (
        <Markdown>{spec.body}</Markdown>
      ) : (
        <p className="muted">
          No description yet.{' '}
          <button type="button" className="link-button" onClick={onEdit}>
            Add one
          </button>
        </p>
      )}
    </>
  )
}
