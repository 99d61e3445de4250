// What a screen reader hears while a card is dragged and when it is let go: the column and lane
// it is over, and where it ends up, from the same cell the drop itself reads (the one under the
// pointer as drawn), so what is said is what happened.
import { STAGE_LABELS, type Placement, type SpecCard } from '../../../shared/domain'
import { isRunActive } from '../../../shared/runs'
import { laneLabel, samePlace } from './cells'

/** "Software · gordon": a column and a lane, as the toasts name a place too. */
export function placeWords(place: Placement): string {
  return `${STAGE_LABELS[place.stage]} · ${laneLabel(place.agent)}`
}

/** While hovering: the cell, and why it would not start the card if it would not. */
export function hoverAnnouncement(place: Placement | null, refusal: string | null): string {
  if (!place) return 'Not over a cell.'
  return refusal
    ? `Over ${placeWords(place)}: can’t start here now, ${refusal}.`
    : `Over ${placeWords(place)}.`
}

/**
 * On letting go over `to` (null: not over a cell): where the card now is, or why it stays where
 * it was. A refused lane and a card whose run is at work both leave it in place, as moveCard does.
 */
export function dropAnnouncement(
  card: SpecCard,
  to: Placement | null,
  refusal: string | null,
): string {
  const title = `“${card.title}”`
  const from = placeWords(card)
  if (!to) return `Dropped ${title} outside the cells; it stays in ${from}.`
  if (samePlace(card, to)) return `Dropped ${title} back where it was, in ${from}.`
  if (card.run && isRunActive(card.run.state))
    return `${title} stays in ${from} while its run is at work.`
  if (refusal)
    return `${laneLabel(to.agent)} can’t start ${title} now: ${refusal}. It stays in ${from}.`
  return `Dropped ${title} in ${placeWords(to)}.`
}
