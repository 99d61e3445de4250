// Lane headers below the fold stick to the board's bottom edge, stacked in lane order, so every
// lane's name, capacity and controls are on screen however many cards the lanes above hold. Each
// lane learns the height of the headers after it (`--stack-below`): where its own header sticks,
// and how far above the edge its cards must scroll to be seen rather than sit under the stack.
import { useLayoutEffect, type RefObject } from 'react'

export const LANE_CLASS = 'lane'
const HEADER_CLASS = 'lane-header'

export function useLaneHeaderStack(board: RefObject<HTMLElement | null>, lanes: unknown): void {
  useLayoutEffect(() => {
    const root = board.current
    if (!root) return
    const sections = () => [...root.querySelectorAll<HTMLElement>(`:scope > .${LANE_CLASS}`)]
    const stack = () => {
      let below = 0
      for (const section of sections().reverse()) {
        section.style.setProperty('--stack-below', `${below}px`)
        below += section.querySelector<HTMLElement>(`.${HEADER_CLASS}`)?.offsetHeight ?? 0
      }
    }
    // A header wraps when its meters or a hold's reason outgrow the line: the stack follows.
    const observer = new ResizeObserver(stack)
    for (const section of sections()) {
      const header = section.querySelector(`.${HEADER_CLASS}`)
      if (header) observer.observe(header)
    }
    stack()
    return () => observer.disconnect()
  }, [board, lanes])
}
