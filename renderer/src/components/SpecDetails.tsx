// A spec read-only: its facts (with stage and lane as selects that move it) and its rendered body.
import { isPinnedTo, type Spec, type SpecId, type Stage } from '../../../shared/domain'
import { useBoard } from '../stores/board'
import { useClock } from '../stores/clock'
import { moveCard } from '../stores/moveCard'
import { useUi } from '../stores/ui'
import { formatAge, formatFullTime } from '../time'
import { Markdown } from './Markdown'
import { LaneSelect, StageSelect } from './PlacementSelects'
import { SpecRuns } from './run/SpecRuns'
import { StatusBadge } from './StatusBadge'
import './card.css'

export function SpecDetails({ spec, onEdit }: { spec: Spec; onEdit: () => void }) {
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
        {spec.dependsOn.length > 0 && (
          <>
            <dt>Depends on</dt>
            <dd className="facts-chips" data-testid="spec-dependencies">
              {spec.dependsOn.map((id) => (
                <Dependency key={id} id={id} shipped={!spec.waitingOn.includes(id)} />
              ))}
            </dd>
          </>
        )}
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

/**
 * One spec this one depends on, by its title on the board. It follows only that title, so the
 * drawer (and its rendered body) does not re-render on every board read.
 */
function Dependency({ id, shipped }: { id: SpecId; shipped: boolean }) {
  const title = useBoard((s) => s.specs.find((card) => card.id === id)?.title)
  const name = title ? `${title} (${id})` : id
  return (
    <button
      type="button"
      className={`chip chip-link${shipped ? ' chip-done' : ''}`}
      title={shipped ? `${name} has shipped` : `${name} has not shipped yet`}
      onClick={() => useUi.getState().openDrawer(id)}
    >
      <span className="chip-text">{title ?? id}</span>
      {shipped ? '✓' : '· waiting'}
    </button>
  )
}
