// Finding things on the board: the filter bar's text and facets (kept in the address bar's query,
// so a reload or a shared link shows the same cards) and whether the command palette is open.
import { create } from 'zustand'
import {
  filterFromParams,
  NO_FILTER,
  toggleValue,
  withFilterParams,
  type BoardFilter,
  type Facet,
  type FacetValue,
} from '../components/search/boardFilter'

interface FilterStore {
  filter: BoardFilter
  paletteOpen: boolean
  setText(text: string): void
  toggle(facet: Facet, value: FacetValue): void
  /** Only this facet's values cleared. */
  clearFacet(facet: Facet): void
  clear(): void
  openPalette(): void
  closePalette(): void
}

const inBrowser = typeof window !== 'undefined' && typeof history !== 'undefined'

export const useFilter = create<FilterStore>()((set) => ({
  filter: inBrowser ? filterFromParams(window.location.search) : NO_FILTER,
  paletteOpen: false,
  setText: (text) => set((s) => ({ filter: { ...s.filter, text } })),
  toggle: (facet, value) => set((s) => ({ filter: toggleValue(s.filter, facet, value) })),
  clearFacet: (facet) => set((s) => ({ filter: { ...s.filter, [facet]: [] } })),
  clear: () => set({ filter: NO_FILTER }),
  openPalette: () => set({ paletteOpen: true }),
  closePalette: () => set({ paletteOpen: false }),
}))

// The address bar follows the filter a moment after typing stops: replaceState (no history entry
// per keystroke), and Chromium refuses a flood of them.
const URL_DELAY_MS = 250
if (inBrowser) {
  let timer: ReturnType<typeof setTimeout> | undefined
  const write = () => {
    const { filter } = useFilter.getState()
    const search = withFilterParams(window.location.search, filter)
    if (search === window.location.search) return
    const { pathname, hash } = window.location
    history.replaceState(history.state, '', `${pathname}${search}${hash}`)
  }
  useFilter.subscribe((state, previous) => {
    if (state.filter === previous.filter) return
    clearTimeout(timer)
    timer = setTimeout(write, URL_DELAY_MS)
  })
  // Leaving with the last keystrokes not yet written would lose them on reload.
  window.addEventListener('pagehide', () => {
    clearTimeout(timer)
    write()
  })
}
