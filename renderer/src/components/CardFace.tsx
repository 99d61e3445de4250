// What a card shows — shared by the card in its cell and the copy that follows the pointer.
import { formatAge } from '../../../shared/format'
import type { SpecCard } from '../../../shared/domain'
import { useClock } from '../stores/clock'
import { RunStateBadge } from './run/RunStateBadge'
import { StatusBadge } from './StatusBadge'

const MAX_TAGS = 3

export function CardFace({ card }: { card: SpecCard }) {
  const now = useClock((s) => s.now)
  const extraTags = card.tags.length - MAX_TAGS
  return (
    <>
      <div className="card-top">
        <span className="card-title">{card.title}</span>
        {card.priority !== 0 && (
          <span
            className={`card-priority ${card.priority > 0 ? 'card-priority-up' : 'card-priority-down'}`}
            title={`Priority ${card.priority}`}
          >
            {card.priority > 0 ? '↑' : '↓'}
            {Math.abs(card.priority)}
          </span>
        )}
      </div>
      <div className="card-meta">
        <span className="chip chip-source">{card.source}</span>
        {card.tags.slice(0, MAX_TAGS).map((tag) => (
          <span key={tag} className="chip">
            {tag}
          </span>
        ))}
        {extraTags > 0 && <span className="chip chip-faint">+{extraTags}</span>}
        <span className="card-spacer" />
        {card.status !== 'queued' &&
        card.run &&
        ['running', 'starting', 'failed', 'lost'].includes(card.run.state) ? (
          <RunStateBadge
            state={card.run.state}
            stage={card.run.stage}
            failureClass={card.run.failureClass}
          />
        ) : (
          card.status !== 'new' && <StatusBadge status={card.status} />
        )}
        <time className="card-age" dateTime={new Date(card.createdAt).toISOString()}>
          {formatAge(card.createdAt, now)}
        </time>
      </div>
      {card.waitingOn.length > 0 && (
        <div className="card-waiting" data-testid="card-waiting">
          Waits for {card.waitingOn.join(', ')} to ship
        </div>
      )}
      {card.status !== 'queued' && card.run?.tail && (
        <div className="card-tail" title={card.run.tail} data-testid="card-tail">
          {card.run.tail}
        </div>
      )}
    </>
  )
}
