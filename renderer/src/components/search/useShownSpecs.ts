// The cards the filter shows, computed once per board read and filter change however many
// components ask (the board, the header's count). Typing stays quick on a big board: the filter
// is applied as a deferred value, so React may finish a keystroke before redrawing the cells.
import { useDeferredValue } from 'react'
import type { SpecCard } from '../../../../shared/domain'
import { useBoard } from '../../stores/board'
import { useFilter } from '../../stores/filter'
import { filterSpecs, type BoardFilter } from './boardFilter'

let lastSpecs: readonly SpecCard[] | null = null
let lastFilter: BoardFilter | null = null
let lastShown: readonly SpecCard[] = []

function shownSpecs(specs: readonly SpecCard[], filter: BoardFilter): readonly SpecCard[] {
  if (specs !== lastSpecs || filter !== lastFilter) {
    lastShown = filterSpecs(specs, filter)
    lastSpecs = specs
    lastFilter = filter
  }
  return lastShown
}

export function useShownSpecs(): { shown: readonly SpecCard[]; filter: BoardFilter } {
  const specs = useBoard((s) => s.specs)
  const filter = useDeferredValue(useFilter((s) => s.filter))
  return { shown: shownSpecs(specs, filter), filter }
}
