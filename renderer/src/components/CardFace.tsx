// What a card shows — shared by the card in its cell and the copy that follows the pointer.
import { laneAvailability } from '../../../shared/availability'
import { isRunActive } from '../../../shared/runs'
import type { SpecCard, SpecId } from '../../../shared/domain'
import { placementWords } from '../board/wording'
import { useBoard } from '../stores/board'
import { useCapacity } from '../stores/capacity'
import { useClock } from '../stores/clock'
import { formatAge, formatDuration, formatFullTime, formatTime } from '../time'
import { CardShipped } from './CardShipped'
import { RunStateBadge } from './run/RunStateBadge'
import { SourceMark } from './SourceMark'
import { StatusBadge } from './StatusBadge'

const MAX_TAGS = 3

// Titles by id, built once per board read (not once per waiting card).
let titlesOf: readonly SpecCard[] | null = null
let titles = new Map<SpecId, string>()
function titleOf(specs: readonly SpecCard[], id: SpecId): string | undefined {
  if (specs !== titlesOf) {
    titles = new Map(specs.map((s) => [s.id, s.title]))
    titlesOf = specs
  }
  return titles.get(id)
}

/** "Waits for “Billing API” to ship": what a queued card waits for, by the names on the board. */
function Waiting({ ids }: { ids: SpecId[] }) {
  const names = useBoard((s) =>
    ids
      .map((id) => {
        const title = titleOf(s.specs, id)
        return title ? `“${title}”` : 'a spec not on the board'
      })
      .join(', '),
  )
  return (
    <div className="card-waiting" data-testid="card-waiting" title={`Waits for ${names} to ship`}>
      Waits for {names} to ship
    </div>
  )
}

/**
 * Why a queued spec that waits for no other spec has not started: its lane, or the allocator.
 * One queued on a lane is pinned there (only that lane runs it), and says so.
 */
function QueueWait({ agent, now }: { agent: string | null; now: number }) {
  const usage = useCapacity((s) => (agent ? s.byAgent[agent] : undefined))
  const manual = useCapacity((s) => s.settings?.autoDispatch === false)
  let text: string | null = null
  const availability = usage && laneAvailability(usage)
  if (availability && !availability.ok) {
    const until = availability.until ? ` until ${formatTime(availability.until, now)}` : ''
    text =
      availability.kind === 'cap'
        ? `Waits for a run on ${agent} to end`
        : availability.kind === 'disabled'
          ? `Waits for ${agent}, which is disabled`
          : availability.kind === 'quota'
            ? `Waits for ${agent}: full${until}`
            : `Waits for ${agent}: paused${until || ' until resumed'}`
  } else if (manual) {
    text = 'Waits for Allocate now: auto-dispatch is off'
  }
  if (agent) {
    return (
      <div className="card-waiting" data-testid="card-queue-wait">
        <span className="card-pin" data-testid="card-pin" title={`Only ${agent} runs it`}>
          Pinned to {agent}
        </span>
        {text && ` · ${text}`}
      </div>
    )
  }
  if (!text) return null
  return (
    <div className="card-waiting" data-testid="card-queue-wait">
      {text}
    </div>
  )
}

/**
 * When the card last did something: how long its run has been at work ("12m"), or when it last
 * changed ("shipped" 2h ago, queued 5m ago); a card that has not moved yet, when it was added.
 */
function CardActivity({ card, now }: { card: SpecCard; now: number }) {
  const running = card.run && isRunActive(card.run.state) && card.run.state !== 'queued'
  const moved = card.updatedAt > card.createdAt ? card.updatedAt : card.createdAt
  const elapsed = Math.max(0, now - card.updatedAt)
  // The badge beside it says what; this says since when (a run: for how long).
  const text = running
    ? elapsed < 60_000
      ? 'just started'
      : formatDuration(elapsed - (elapsed % 60_000))
    : formatAge(moved, now)
  return (
    <time
      className="card-age"
      dateTime={new Date(running ? card.updatedAt : moved).toISOString()}
      title={`Added ${formatFullTime(card.createdAt)} · last change ${formatFullTime(moved)}`}
    >
      {text}
    </time>
  )
}

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
        <SourceMark source={card.source} />
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
          <span title={placementWords(card.run.placement) ?? undefined}>
            <RunStateBadge
              state={card.run.state}
              stage={card.run.stage}
              failureClass={card.run.failureClass}
            />
          </span>
        ) : (
          card.status !== 'new' && <StatusBadge status={card.status} />
        )}
        <CardActivity card={card} now={now} />
      </div>
      {card.waitingOn.length > 0 ? (
        <Waiting ids={card.waitingOn} />
      ) : (
        card.status === 'queued' &&
        (card.run?.state === 'queued' ? (
          // Written to a remote agent's queue: it is the drainer's turn, not the allocator's.
          <div className="card-waiting" data-testid="card-queue-wait">
            In {card.agent}’s queue, for its drainer to claim
          </div>
        ) : (
          <QueueWait agent={card.agent} now={now} />
        ))
      )}
      {card.run?.state === 'shipped' && <CardShipped run={card.run} />}
      {card.status !== 'queued' && card.run?.tail && (
        <div className="card-tail" title={card.run.tail} data-testid="card-tail">
          {card.run.tail}
        </div>
      )}
    </>
  )
}
