// The Kanban: sticky column headers, then one swimlane per lane. Owns drag and drop and the
// board's keyboard (arrows move focus, Shift+arrows move the card), so both share one geometry.
import {
  DndContext,
  DragOverlay,
  PointerSensor,
  useSensor,
  useSensors,
  type CollisionDetection,
  type DragEndEvent,
  type DragOverEvent,
  type DragStartEvent,
} from '@dnd-kit/core'
import { useMemo, useRef, useState, type KeyboardEvent } from 'react'
import {
  STAGES,
  STAGE_LABELS,
  type Placement,
  type SpecCard,
  type SpecId,
} from '../../../shared/domain'
import { groupIntoCells } from '../board/cells'
import { dropAnnouncement, hoverAnnouncement } from '../board/dropAnnouncement'
import { refusalAt } from '../board/dropRefusal'
import {
  cellKeyAt,
  DRAG_OVERLAY_CLASS,
  placeOfCellKey,
  SCROLL_STRIP_ATTRIBUTE,
} from '../board/dropTarget'
import { ARROW_DIRECTIONS, adjacentPlace, neighborCard } from '../board/navigation'
import { isFiltering } from './search/boardFilter'
import { NoMatches } from './search/NoMatches'
import { useShownSpecs } from './search/useShownSpecs'
import { useBoard } from '../stores/board'
import { useCapacity } from '../stores/capacity'
import { moveCard } from '../stores/moveCard'
import { useUi } from '../stores/ui'
import { CardFace } from './CardFace'
import { AddLane, EmptyBoard } from './EmptyBoard'
import { Swimlane } from './Swimlane'
import { pointerNow, useEdgeScroll } from './useEdgeScroll'
import { useLaneHeaderStack } from './useLaneHeaderStack'
import './board.css'

// The cell drawn under the pointer now is the one lit up and the one that takes the drop; in a
// gap, over a header or a scroll strip, there is none (no nearest-cell guess that could start a
// run on a lane the pointer is not on).
const collision: CollisionDetection = ({ pointerCoordinates, droppableContainers }) => {
  if (!pointerCoordinates) return []
  const key = cellKeyAt(pointerCoordinates.x, pointerCoordinates.y)
  const place = key === null ? null : placeOfCellKey(key)
  const container =
    place &&
    droppableContainers.find((c) => {
      const data = c.data.current as Placement | undefined
      return data?.stage === place.stage && data.agent === place.agent
    })
  return container ? [{ id: container.id, data: { droppableContainer: container, value: 0 } }] : []
}

/** Where a drop lands: the cell under where the pointer was last seen. */
function dropPlace(fallback: Placement | undefined): Placement | undefined {
  const pointer = pointerNow()
  if (!pointer) return fallback
  const key = cellKeyAt(pointer.x, pointer.y)
  return (key === null ? null : placeOfCellKey(key)) ?? undefined
}

export function Board() {
  const specs = useBoard((s) => s.specs)
  const agents = useBoard((s) => s.agents)
  // The filter bar's cards only; a lane chosen in it hides the other lanes, for arrows too.
  const { shown, filter } = useShownSpecs()
  const board = useMemo(
    () => groupIntoCells(shown, agents, filter.lane.length > 0 ? filter.lane : undefined),
    [shown, agents, filter.lane],
  )
  const [dragged, setDragged] = useState<SpecCard | null>(null)
  const [overPlace, setOverPlace] = useState<Placement | null>(null)
  const boardRef = useRef<HTMLDivElement | null>(null)
  const room = useEdgeScroll(boardRef, dragged !== null)
  useLaneHeaderStack(boardRef, board.lanes)
  // A small threshold keeps a plain click a click (it opens the drawer) rather than a drag.
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 5 } }))

  const onDragStart = ({ active }: DragStartEvent) => {
    setDragged(cardOf(active.data.current))
    useUi.getState().setDragging(true)
  }
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setDragged(null)
    useUi.getState().setDragging(false)
    const card = cardOf(active.data.current)
    const target = dropPlace(over?.data.current as Placement | undefined)
    if (card && target) void moveCard(card.id, target, { drop: true })
  }
  const onDragOver = ({ over }: DragOverEvent) =>
    setOverPlace((over?.data.current as Placement | undefined) ?? null)
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
      // The board scrolls only from its strips (useEdgeScroll), never under a pointer on a cell.
      autoScroll={false}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragOver={onDragOver}
      onDragCancel={onDragCancel}
      accessibility={{
        // No dnd-kit keyboard sensor: the keyboard path is Shift+arrows, so say that instead.
        screenReaderInstructions: {
          draggable:
            'Press Enter to open this spec. Shift and the arrow keys move it to another column or lane; the arrow keys move between cards.',
        },
        // Read from the cell the drop itself takes (under the pointer as drawn), not dnd-kit's
        // last collision, which a scroll since the pointer last moved leaves behind.
        announcements: {
          onDragStart: ({ active }) => `Picked up ${titleOf(active.data.current)}.`,
          onDragOver: ({ over }) => {
            const place = (over?.data.current as Placement | undefined) ?? null
            return hoverAnnouncement(place, place && refusalNow(place))
          },
          onDragEnd: ({ active, over }) => {
            const card = cardOf(active.data.current)
            const place = dropPlace(over?.data.current as Placement | undefined) ?? null
            return card ? dropAnnouncement(card, place, place && refusalNow(place)) : ''
          },
          onDragCancel: ({ active }) =>
            `Move cancelled; ${titleOf(active.data.current)} stays where it was.`,
        },
      }}
    >
      <div
        className={`board${dragged ? ' board-dragging' : ''}`}
        onKeyDown={onKeyDown}
        ref={boardRef}
      >
        <div className="board-columns">
          {room.up && (
            <div className="scroll-strip scroll-strip-up" {...{ [SCROLL_STRIP_ATTRIBUTE]: 'up' }}>
              ↑ Hold here to scroll up
            </div>
          )}
          {STAGES.map((stage) => (
            <div key={stage} className={`column-header stage-${stage}`}>
              <span className="column-dot" aria-hidden="true" />
              <span className="column-label">{STAGE_LABELS[stage]}</span>
              <span className="column-count">{board.stageCounts[stage].toLocaleString()}</span>
            </div>
          ))}
        </div>
        {board.total === 0 &&
          (isFiltering(filter) ? (
            <NoMatches filter={filter} total={specs.length} />
          ) : (
            <EmptyBoard />
          ))}
        {board.lanes.map((lane) => (
          <Swimlane
            key={lane ?? ''}
            lane={lane}
            runner={agents.find((a) => a.name === lane)?.runner ?? null}
            board={board}
          />
        ))}
        <AddLane first={agents.length === 0} />
        {room.down && (
          <div
            className="scroll-strip scroll-strip-down"
            data-testid="scroll-strip-down"
            {...{ [SCROLL_STRIP_ATTRIBUTE]: 'down' }}
          >
            ↓ Hold here to scroll down
          </div>
        )}
      </div>
      <DragOverlay dropAnimation={null} className={DRAG_OVERLAY_CLASS}>
        {dragged && (
          <div className="card card-overlay">
            <CardFace card={dragged} />
            {overPlace && <DragRefusal place={overPlace} />}
          </div>
        )}
      </DragOverlay>
    </DndContext>
  )
}

/** Beside the pointer, where it is read: the lane under it cannot start the card, and why. */
function DragRefusal({ place }: { place: Placement }) {
  const agents = useBoard((s) => s.agents)
  const refusal = useCapacity((s) => refusalAt(place, agents, s.byAgent))
  if (!refusal) return null
  return (
    <div className="drag-refusal" data-testid="drag-refusal">
      Can’t start on {place.agent}: {refusal}
    </div>
  )
}

function cardOf(data: unknown): SpecCard | null {
  return (data as { card?: SpecCard } | undefined)?.card ?? null
}

function titleOf(data: unknown): string {
  const card = cardOf(data)
  return card ? `“${card.title}”` : 'a card'
}

/** Whether the lane would refuse a drop now, as the cell and the move itself judge it. */
function refusalNow(place: Placement): string | null {
  return refusalAt(place, useBoard.getState().agents, useCapacity.getState().byAgent)
}
