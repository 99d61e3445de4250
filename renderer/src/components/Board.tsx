// The Kanban: sticky column headers, then one swimlane per lane. Owns drag and drop and the
// board's keyboard (arrows move focus, Shift+arrows move the card), so both share one geometry.
import {
  DndContext,
  DragOverlay,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  useSensor,
  useSensors,
  type CollisionDetection,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core'
import { useMemo, useState, type KeyboardEvent } from 'react'
import {
  STAGES,
  STAGE_LABELS,
  type Placement,
  type SpecCard,
  type SpecId,
} from '../../../shared/domain'
import { groupIntoCells, laneLabel } from '../board/cells'
import { ARROW_DIRECTIONS, adjacentPlace, neighborCard } from '../board/navigation'
import { useBoard } from '../stores/board'
import { moveCard } from '../stores/moveCard'
import { useUi } from '../stores/ui'
import { CardFace } from './CardFace'
import { AddLane, EmptyBoard } from './EmptyBoard'
import { Swimlane } from './Swimlane'
import './board.css'

// Pointer position decides the cell; fall back to overlap when the pointer sits in a gap.
const collision: CollisionDetection = (args) => {
  const hits = pointerWithin(args)
  return hits.length > 0 ? hits : rectIntersection(args)
}

export function Board() {
  const specs = useBoard((s) => s.specs)
  const agents = useBoard((s) => s.agents)
  const board = useMemo(() => groupIntoCells(specs, agents), [specs, agents])
  const [dragged, setDragged] = useState<SpecCard | null>(null)
  // A small threshold keeps a plain click a click (it opens the drawer) rather than a drag.
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 5 } }))

  const onDragStart = ({ active }: DragStartEvent) => {
    setDragged((active.data.current as { card: SpecCard } | undefined)?.card ?? null)
    useUi.getState().setDragging(true)
  }
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setDragged(null)
    useUi.getState().setDragging(false)
    const card = (active.data.current as { card: SpecCard } | undefined)?.card
    const target = over?.data.current as Placement | undefined
    if (card && target) void moveCard(card.id, target, { drop: true })
  }
  const onDragCancel = () => {
    setDragged(null)
    useUi.getState().setDragging(false)
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement
    if (target.dataset.testid !== 'card' || e.altKey || e.ctrlKey || e.metaKey) return
    const id = target.dataset.specId as SpecId
    const card = specs.find((s) => s.id === id)
    if (!card) return
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault()
      useUi.getState().openDrawer(id)
      return
    }
    const direction = ARROW_DIRECTIONS[e.key]
    if (!direction) return
    e.preventDefault()
    if (e.shiftKey) {
      const to = adjacentPlace(board, card, direction)
      if (to) void moveCard(id, to)
    } else {
      const next = neighborCard(board, card, direction)
      if (next) useUi.getState().focusCard(next)
    }
  }

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={collision}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={onDragCancel}
      accessibility={{
        // No dnd-kit keyboard sensor: the keyboard path is Shift+arrows, so say that instead.
        screenReaderInstructions: {
          draggable:
            'Press Enter to open this spec. Shift and the arrow keys move it to another column or lane; the arrow keys move between cards.',
        },
        announcements: {
          onDragStart: ({ active }) => `Picked up ${titleOf(active.data.current)}.`,
          onDragOver: ({ over }) => (over ? `Over ${describePlace(over.data.current)}.` : ''),
          onDragEnd: ({ active, over }) =>
            over
              ? `Dropped ${titleOf(active.data.current)} in ${describePlace(over.data.current)}.`
              : 'Dropped outside the board; nothing moved.',
          onDragCancel: () => 'Move cancelled.',
        },
      }}
    >
      <div className="board" onKeyDown={onKeyDown}>
        <div className="board-columns">
          {STAGES.map((stage) => (
            <div key={stage} className={`column-header stage-${stage}`}>
              <span className="column-dot" aria-hidden="true" />
              <span className="column-label">{STAGE_LABELS[stage]}</span>
              <span className="column-count">{board.stageCounts[stage].toLocaleString()}</span>
            </div>
          ))}
        </div>
        {board.total === 0 && <EmptyBoard />}
        {board.lanes.map((lane) => (
          <Swimlane
            key={lane ?? ''}
            lane={lane}
            runner={agents.find((a) => a.name === lane)?.runner ?? null}
            board={board}
          />
        ))}
        <AddLane first={agents.length === 0} />
      </div>
      <DragOverlay dropAnimation={null}>
        {dragged && (
          <div className="card card-overlay">
            <CardFace card={dragged} />
          </div>
        )}
      </DragOverlay>
    </DndContext>
  )
}

function titleOf(data: unknown): string {
  const card = (data as { card?: SpecCard } | undefined)?.card
  return card ? `“${card.title}”` : 'a card'
}

function describePlace(data: unknown): string {
  const place = data as Placement | undefined
  return place ? `${STAGE_LABELS[place.stage]}, ${laneLabel(place.agent)}` : 'the board'
}
