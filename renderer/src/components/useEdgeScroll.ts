// Scrolling the board while a card is dragged, from two strips only: the column headers at the top
// and a strip at the bottom edge, shown while there is more board that way. The board never moves
// while the pointer rests on a cell, so the cell under a still pointer stays the cell that is lit
// and the cell that takes the drop (an edge zone over the first lanes once sent work to the lane
// that scrolled in under a waiting pointer).
import { useEffect, useState, type RefObject } from 'react'
import { DRAG_OVERLAY_CLASS, SCROLL_STRIP_ATTRIBUTE } from '../board/dropTarget'

/** Pixels per frame at the strip's outer edge; half that at its inner edge. */
const SPEED = 18

/** Whether the board can scroll up or down from where it is: the strips show only then. */
export interface EdgeRoom {
  up: boolean
  down: boolean
}

let lastPointer: { x: number; y: number } | null = null

/** Where the pointer was last seen during a drag: where a drop lands. */
export function pointerNow(): { x: number; y: number } | null {
  return lastPointer
}

function stripAt(x: number, y: number): 'up' | 'down' | null {
  for (const element of document.elementsFromPoint(x, y)) {
    if (element.closest(`.${DRAG_OVERLAY_CLASS}`)) continue
    const strip = element.closest(`[${SCROLL_STRIP_ATTRIBUTE}]`)
    const value = strip?.getAttribute(SCROLL_STRIP_ATTRIBUTE)
    return value === 'up' || value === 'down' ? value : null
  }
  return null
}

export function useEdgeScroll(board: RefObject<HTMLElement | null>, dragging: boolean): EdgeRoom {
  const [room, setRoom] = useState<EdgeRoom>({ up: false, down: false })

  useEffect(() => {
    const element = board.current
    if (!dragging || !element) return
    const measure = () =>
      setRoom({
        up: element.scrollTop > 0,
        down: element.scrollTop + element.clientHeight < element.scrollHeight - 1,
      })
    lastPointer = null
    const onMove = (event: PointerEvent) => {
      lastPointer = { x: event.clientX, y: event.clientY }
    }
    let frame = 0
    let measured = false
    const tick = () => {
      frame = requestAnimationFrame(tick)
      if (!measured) {
        measured = true
        measure()
      }
      if (!lastPointer) return
      const strip = stripAt(lastPointer.x, lastPointer.y)
      if (!strip) return
      const box = element.getBoundingClientRect()
      // Faster nearer the board's edge.
      const depth =
        strip === 'up'
          ? 1 - Math.min(1, Math.max(0, (lastPointer.y - box.top) / 48))
          : 1 - Math.min(1, Math.max(0, (box.bottom - lastPointer.y) / 48))
      const step = Math.round(SPEED * (0.5 + depth / 2))
      element.scrollTop += strip === 'up' ? -step : step
    }
    frame = requestAnimationFrame(tick)
    window.addEventListener('pointermove', onMove, { capture: true, passive: true })
    element.addEventListener('scroll', measure, { passive: true })
    return () => {
      cancelAnimationFrame(frame)
      window.removeEventListener('pointermove', onMove, { capture: true })
      element.removeEventListener('scroll', measure)
    }
  }, [board, dragging])

  return dragging ? room : NO_ROOM
}

const NO_ROOM: EdgeRoom = { up: false, down: false }
