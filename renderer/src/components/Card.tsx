// A spec on the board: click or Enter opens it, drag (or Shift+arrows) moves it. Only one card a
// cell is a Tab stop (`tabStop`); the arrow keys reach the others, so Tab crosses the board a cell
// at a time and a lane's header controls are a few presses away, not one per card.
import { useDraggable } from '@dnd-kit/core'
import { memo, useCallback, useEffect, useRef } from 'react'
import { STAGE_LABELS, type SpecCard } from '../../../shared/domain'
import { laneLabel } from '../board/cells'
import { useUi } from '../stores/ui'
import { CardFace } from './CardFace'
import './card.css'

// A drop fires a click on the card under the pointer; that click must not open the drawer.
const CLICK_AFTER_DRAG_MS = 250

function focusFollowsHere(): boolean {
  // Take focus only if it is lost (our old element unmounted) or on another card (arrow keys);
  // never from a field the user is typing in, such as the drawer's selects.
  const active = document.activeElement
  return (
    active === null || active === document.body || active.getAttribute('data-testid') === 'card'
  )
}

interface CardProps {
  card: SpecCard
  tabStop: boolean
}

export const Card = memo(function Card({ card, tabStop }: CardProps) {
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({
    id: card.id,
    data: { card },
  })
  const focused = useUi((s) => s.focusedId === card.id)
  const selected = useUi((s) => s.drawerSpecId === card.id)
  const element = useRef<HTMLDivElement | null>(null)

  useEffect(() => {
    const node = element.current
    if (!focused || !node || node === document.activeElement || !focusFollowsHere()) return
    node.focus({ preventScroll: true })
    node.scrollIntoView({ block: 'nearest', inline: 'nearest' })
  }, [focused])

  const setRefs = useCallback(
    (node: HTMLDivElement | null) => {
      element.current = node
      setNodeRef(node)
    },
    [setNodeRef],
  )

  const onClick = () => {
    const ui = useUi.getState()
    if (Date.now() - ui.dragEndedAt < CLICK_AFTER_DRAG_MS) return
    ui.openDrawer(card.id)
  }

  const className = ['card', isDragging && 'card-dragging', selected && 'card-selected']
    .filter(Boolean)
    .join(' ')
  return (
    <div
      ref={setRefs}
      {...attributes}
      {...listeners}
      role="button"
      tabIndex={tabStop ? 0 : -1}
      aria-roledescription="card"
      aria-label={`${card.title} — ${STAGE_LABELS[card.stage]}, ${laneLabel(card.agent)}`}
      className={className}
      data-testid="card"
      data-spec-id={card.id}
      onClick={onClick}
      onFocus={() => {
        if (!focused) useUi.getState().focusCard(card.id)
      }}
    >
      <CardFace card={card} />
    </div>
  )
})
