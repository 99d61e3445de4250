// The palette's "go to a lane": the board scrolls the lane into view, flashes it, and focus
// lands on its first card (or its name), so the arrow keys carry on from there.
import { laneLabel, type Lane } from '../../board/cells'
import { useFilter } from '../../stores/filter'

const FLASH_MS = 1200

function laneSection(lane: Lane): HTMLElement | null {
  const label = `${laneLabel(lane)} lane`
  return (
    [...document.querySelectorAll<HTMLElement>('.board section.lane')].find(
      (section) => section.getAttribute('aria-label') === label,
    ) ?? null
  )
}

export function goToLane(lane: Lane): void {
  // A lane the filter hides is shown again first: going to it must find it.
  const { filter, clearFacet } = useFilter.getState()
  if (filter.lane.length > 0 && !filter.lane.includes(lane)) clearFacet('lane')
  // After React has drawn the lane (when it was hidden, that is on the next frame).
  requestAnimationFrame(() => {
    const section = laneSection(lane)
    if (!section) return
    // The section draws no box of its own (its header sticks to the board's edge): its cells do.
    section.querySelector('.lane-cells')?.scrollIntoView({ block: 'start', behavior: 'smooth' })
    const target =
      section.querySelector<HTMLElement>('[data-testid="card"]') ??
      section.querySelector<HTMLElement>('.lane-name-button')
    target?.focus({ preventScroll: true })
    section.classList.add('lane-flash')
    setTimeout(() => section.classList.remove('lane-flash'), FLASH_MS)
  })
}
