// One stage of one lane: a drop target that shows its first few cards and "N more", so every
// lane's header stays on screen; opened, it lists the rest a page at a time (a cell may hold
// thousands), in the board's own scroll, never a scroller of its own. While a card is dragged, a
// lane's Software cell that cannot start it says so and why before anything is dropped.
import { useDroppable } from '@dnd-kit/core'
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import {
  STAGE_LABELS,
  type Placement,
  type SpecCard,
  type SpecId,
  type Stage,
} from '../../../shared/domain'
import {
  CELL_FIRST_PAGE,
  CELL_PAGE,
  cellKey,
  collapsedLimit,
  laneLabel,
  laneSlug,
  type Lane,
} from '../board/cells'
import { refusalAt } from '../board/dropRefusal'
import { DROP_ATTRIBUTE } from '../board/dropTarget'
import { useBoard } from '../stores/board'
import { useCapacity } from '../stores/capacity'
import { useClock } from '../stores/clock'
import { useFilter } from '../stores/filter'
import { useUi } from '../stores/ui'
import { Card } from './Card'
import { isFiltering } from './search/boardFilter'

interface CellProps {
  stage: Stage
  lane: Lane
  cards: readonly SpecCard[]
}

export const Cell = memo(function Cell({ stage, lane, cards }: CellProps) {
  const slug = laneSlug(lane)
  const key = cellKey(stage, lane)
  const { setNodeRef, isOver } = useDroppable({
    id: `cell:${stage}:${slug}`,
    data: { stage, agent: lane } satisfies Placement,
  })
  const dragging = useUi((s) => s.dragging)
  const focusedId = useUi((s) => s.focusedId)
  const open = useUi((s) => s.openCells.has(key))
  const agents = useBoard((s) => s.agents)
  const refusal = useCapacity((s) => refusalAt({ stage, agent: lane }, agents, s.byAgent))
  const [pages, setPages] = useState(1)
  const sentinel = useRef<HTMLDivElement | null>(null)
  // One Tab stop per cell: the card last focused here while it is still here, else the first.
  const [lastFocused, setLastFocused] = useState<SpecId | null>(null)

  // A card focused by keyboard (or just created) beyond what shows opens the cell down to it.
  const focusedIndex = useMemo(
    () => (focusedId ? cards.findIndex((c) => c.id === focusedId) : -1),
    [cards, focusedId],
  )
  const filtered = useFilter((s) => isFiltering(s.filter))
  const limit = collapsedLimit(stage, lane, cards, filtered)
  const revealed = open ? Math.max(limit, CELL_FIRST_PAGE + (pages - 1) * CELL_PAGE) : limit
  const shown = Math.min(cards.length, Math.max(revealed, focusedIndex + 1))
  const hidden = cards.length - shown
  const inHere = focusedIndex >= 0 ? focusedId : null
  useEffect(() => {
    if (inHere) setLastFocused(inHere)
  }, [inHere])
  const shownCards = cards.slice(0, shown)
  const tabStop =
    inHere ?? (shownCards.some((c) => c.id === lastFocused) ? lastFocused : shownCards[0]?.id)
  const shippedThisWeek = useShippedThisWeek(stage === 'marketing' ? cards : null)
  const revealMore = useCallback(() => setPages((p) => p + 1), [])
  const setOpen = (next: boolean) => {
    setPages(1)
    useUi.getState().setCellOpen(key, next)
  }

  useEffect(() => {
    const target = sentinel.current
    if (!open || !target || hidden <= 0) return
    // Re-created after each reveal, so a sentinel still in view keeps revealing.
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) revealMore()
      },
      { rootMargin: '0px 0px 320px 0px' },
    )
    observer.observe(target)
    return () => observer.disconnect()
  }, [open, hidden, shown, revealMore])

  const refuses = dragging && refusal !== null
  const className = [
    'cell',
    `stage-${stage}`,
    isOver && (refuses ? 'cell-over-refused' : 'cell-over'),
    dragging && 'cell-dragging',
  ]
    .filter(Boolean)
    .join(' ')
  return (
    <div
      ref={setNodeRef}
      {...{ [DROP_ATTRIBUTE]: key }}
      className={className}
      data-testid={`cell-${stage}-${slug}`}
      aria-label={`${STAGE_LABELS[stage]} · ${laneLabel(lane)}: ${cards.length} specs`}
      role="group"
    >
      {refuses && (
        <div className="cell-refusal" data-testid="cell-refusal" role="note">
          Can’t start here now: {refusal}
        </div>
      )}
      {shownCards.map((card) => (
        <Card key={card.id} card={card} tabStop={card.id === tabStop} />
      ))}
      {hidden > 0 && (
        <div ref={open ? sentinel : undefined} className="cell-more">
          <button
            type="button"
            className="button button-ghost button-small"
            data-testid="cell-more"
            aria-expanded={open}
            onClick={() => (open ? revealMore() : setOpen(true))}
          >
            {hidden.toLocaleString()} more
            {shippedThisWeek > 0 && ` · ${shippedThisWeek.toLocaleString()} shipped this week`}
          </button>
        </div>
      )}
      {open && hidden === 0 && cards.length > limit && (
        <div className="cell-more">
          <button
            type="button"
            className="button button-ghost button-small"
            data-testid="cell-fewer"
            aria-expanded={true}
            onClick={() => setOpen(false)}
          >
            Show fewer
          </button>
        </div>
      )}
      {cards.length === 0 && !refuses && (
        <div className="cell-empty" aria-hidden="true">
          {dragging ? 'Drop here' : ''}
        </div>
      )}
    </div>
  )
})

const WEEK_MS = 7 * 86_400_000

/** Finished cards in a Marketing cell that shipped in the last seven days (by the board's clock). */
function useShippedThisWeek(cards: readonly SpecCard[] | null): number {
  const now = useClock((s) => s.now)
  return useMemo(() => {
    if (!cards) return 0
    let n = 0
    for (const card of cards) {
      if ((card.status === 'shipped' || card.status === 'done') && card.updatedAt > now - WEEK_MS)
        n++
    }
    return n
  }, [cards, now])
}
