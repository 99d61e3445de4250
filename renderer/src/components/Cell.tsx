// One stage of one lane: a drop target that lists its cards a page at a time, because a cell may
// hold thousands and only the first screenful is ever looked at.
import { useDroppable } from '@dnd-kit/core'
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { STAGE_LABELS, type Placement, type SpecCard, type Stage } from '../../../shared/domain'
import { CELL_FIRST_PAGE, CELL_PAGE, laneLabel, laneSlug, type Lane } from '../board/cells'
import { useUi } from '../stores/ui'
import { Card } from './Card'

interface CellProps {
  stage: Stage
  lane: Lane
  cards: readonly SpecCard[]
}

export const Cell = memo(function Cell({ stage, lane, cards }: CellProps) {
  const slug = laneSlug(lane)
  const { setNodeRef, isOver } = useDroppable({
    id: `cell:${stage}:${slug}`,
    data: { stage, agent: lane } satisfies Placement,
  })
  const dragging = useUi((s) => s.dragging)
  const focusedId = useUi((s) => s.focusedId)
  const [pages, setPages] = useState(1)
  const scroller = useRef<HTMLDivElement | null>(null)
  const sentinel = useRef<HTMLDivElement | null>(null)

  // A card focused by keyboard (or just created) deeper than the revealed pages is revealed too.
  const focusedIndex = useMemo(
    () => (focusedId ? cards.findIndex((c) => c.id === focusedId) : -1),
    [cards, focusedId],
  )
  const revealed = CELL_FIRST_PAGE + (pages - 1) * CELL_PAGE
  const shown = Math.min(cards.length, Math.max(revealed, focusedIndex + 1))
  const hidden = cards.length - shown
  const revealMore = useCallback(() => setPages((p) => p + 1), [])

  useEffect(() => {
    const root = scroller.current
    const target = sentinel.current
    if (!root || !target || hidden <= 0) return
    // Re-created after each reveal, so a sentinel still in view keeps revealing.
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) revealMore()
      },
      { root, rootMargin: '0px 0px 320px 0px' },
    )
    observer.observe(target)
    return () => observer.disconnect()
  }, [hidden, shown, revealMore])

  const setRefs = useCallback(
    (node: HTMLDivElement | null) => {
      scroller.current = node
      setNodeRef(node)
    },
    [setNodeRef],
  )

  const className = ['cell', `stage-${stage}`, isOver && 'cell-over', dragging && 'cell-dragging']
    .filter(Boolean)
    .join(' ')
  return (
    <div
      ref={setRefs}
      className={className}
      data-testid={`cell-${stage}-${slug}`}
      aria-label={`${STAGE_LABELS[stage]} · ${laneLabel(lane)}: ${cards.length} specs`}
      role="group"
    >
      {cards.slice(0, shown).map((card) => (
        <Card key={card.id} card={card} />
      ))}
      {hidden > 0 && (
        <div ref={sentinel} className="cell-more">
          <button type="button" className="button button-ghost button-small" onClick={revealMore}>
            {hidden.toLocaleString()} more
          </button>
        </div>
      )}
      {cards.length === 0 && (
        <div className="cell-empty" aria-hidden="true">
          {dragging ? 'Drop here' : ''}
        </div>
      )}
    </div>
  )
})
