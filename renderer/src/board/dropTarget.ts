// Which cell a dragged card is over: the one the pointer is on, read from the page as it is drawn
// now (not from rectangles measured when the drag began, which a scroll makes stale). The same
// answer highlights the cell and takes the drop, so the lane lit up is the lane that runs.
import type { Placement, Stage } from '../../../shared/domain'

/** Marks a cell as a drop target, with its `cellKey` as the value. */
export const DROP_ATTRIBUTE = 'data-drop'
/** Marks a strip the pointer scrolls the board from; nothing beneath it can be dropped on. */
export const SCROLL_STRIP_ATTRIBUTE = 'data-scroll-strip'

/** The cell a `cellKey` names. */
export function placeOfCellKey(value: string): Placement | null {
  const colon = value.indexOf(':')
  if (colon < 0) return null
  const stage = value.slice(0, colon) as Stage
  if (stage !== 'idea' && stage !== 'software' && stage !== 'marketing') return null
  const agent = value.slice(colon + 1)
  return { stage, agent: agent === '' ? null : agent }
}

/** The class of the copy of a card that follows the pointer: looked through, never a target. */
export const DRAG_OVERLAY_CLASS = 'drag-overlay'

/**
 * The cell under a point, looking through the card that follows the pointer; null over a scroll
 * strip, a header, a drawer or a toast (whatever lies on top is what the person aims at).
 */
export function cellKeyAt(x: number, y: number, root: Document = document): string | null {
  for (const element of root.elementsFromPoint(x, y)) {
    if (element.closest(`.${DRAG_OVERLAY_CLASS}`)) continue
    if (element.closest(`[${SCROLL_STRIP_ATTRIBUTE}]`)) return null
    return element.closest(`[${DROP_ATTRIBUTE}]`)?.getAttribute(DROP_ATTRIBUTE) ?? null
  }
  return null
}
