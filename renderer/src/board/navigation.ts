// Keyboard geometry of the board: which card the plain arrows focus next, and which cell a
// Shift+arrow moves a card into. Pure, so it is tested without a DOM.
import { STAGES, type Placement, type SpecCard, type SpecId } from '../../../shared/domain'
import { cardsIn, type BoardCells } from './cells'

export type Direction = 'up' | 'down' | 'left' | 'right'

export const ARROW_DIRECTIONS: Record<string, Direction> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  ArrowRight: 'right',
}

/** The cell next to `place` in a direction, or null at the board's edge (no wrapping). */
export function adjacentPlace(
  board: BoardCells,
  place: Placement,
  direction: Direction,
): Placement | null {
  if (direction === 'left' || direction === 'right') {
    const stage = STAGES[STAGES.indexOf(place.stage) + (direction === 'left' ? -1 : 1)]
    return stage ? { stage, agent: place.agent } : null
  }
  const laneIndex = board.lanes.indexOf(place.agent) + (direction === 'up' ? -1 : 1)
  if (laneIndex < 0 || laneIndex >= board.lanes.length) return null
  return { stage: place.stage, agent: board.lanes[laneIndex] ?? null }
}

/** The card the focus moves to from `card`; empty cells are skipped, the edge stops it. */
export function neighborCard(
  board: BoardCells,
  card: SpecCard,
  direction: Direction,
): SpecId | null {
  const index = cardsIn(board, card).findIndex((c) => c.id === card.id)
  if (index < 0) return null
  if (direction === 'up' || direction === 'down') {
    const next = cardsIn(board, card)[index + (direction === 'up' ? -1 : 1)]
    if (next) return next.id
  }
  let place = adjacentPlace(board, card, direction)
  while (place) {
    const cards = cardsIn(board, place)
    if (cards.length > 0) {
      // Sideways keeps the row where possible; vertically we enter the next lane at its near edge.
      const target =
        direction === 'left' || direction === 'right'
          ? cards[Math.min(index, cards.length - 1)]
          : direction === 'down'
            ? cards[0]
            : cards[cards.length - 1]
      return target?.id ?? null
    }
    place = adjacentPlace(board, place, direction)
  }
  return null
}
