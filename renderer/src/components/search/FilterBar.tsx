// The header's filter: a text box ("/" focuses it), the four facets, and how many cards show.
// Esc in the box only leaves it: what was typed stays, and the × or "Clear filters" clears it.
import { useRef, type KeyboardEvent } from 'react'
import { useBoard } from '../../stores/board'
import { useFilter } from '../../stores/filter'
import { FACETS, isFiltering, MAX_QUERY } from './boardFilter'
import { FacetMenu } from './FacetMenu'
import { useShownSpecs } from './useShownSpecs'
import './search.css'

export const FILTER_INPUT_ID = 'board-filter'
const HINT_ID = 'board-filter-hint'

/** "/" from anywhere on the board: into the box, with what it holds selected to type over. */
export function focusFilterBox(): void {
  const input = document.getElementById(FILTER_INPUT_ID)
  if (input instanceof HTMLInputElement) {
    input.focus()
    input.select()
  }
}

function focusFirstCard(): boolean {
  const card = document.querySelector<HTMLElement>('.board [data-testid="card"]')
  card?.focus()
  return card !== null
}

export function FilterBar() {
  const text = useFilter((s) => s.filter.text)
  const { setText } = useFilter.getState()
  const input = useRef<HTMLInputElement | null>(null)

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Escape') {
      // Not the browser's clear-on-Esc, and not the drawer's close either.
      e.preventDefault()
      input.current?.blur()
    } else if ((e.key === 'Enter' || e.key === 'ArrowDown') && !e.nativeEvent.isComposing) {
      if (focusFirstCard()) e.preventDefault()
    }
  }

  return (
    <search className="filter-bar" aria-label="Filter the board">
      <div className="filter-box">
        <span className="filter-icon" aria-hidden="true" />
        <span id={HINT_ID} hidden>
          Every word is looked for in the card’s title, id, source and tags
        </span>
        <input
          ref={input}
          id={FILTER_INPUT_ID}
          className="input filter-input"
          type="search"
          placeholder="Filter cards"
          aria-label="Filter cards"
          aria-describedby={HINT_ID}
          aria-keyshortcuts="/"
          autoComplete="off"
          spellCheck={false}
          maxLength={MAX_QUERY}
          value={text}
          data-testid="filter-input"
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
        {text ? (
          <button
            type="button"
            className="filter-clear-text"
            aria-label="Clear the text"
            title="Clear the text"
            onClick={() => {
              setText('')
              input.current?.focus()
            }}
          >
            ×
          </button>
        ) : (
          <kbd className="kbd filter-kbd" aria-hidden="true">
            /
          </kbd>
        )}
      </div>
      <div className="filter-facets">
        {FACETS.map((facet) => (
          <FacetMenu key={facet} facet={facet} />
        ))}
      </div>
      <ShownCount />
    </search>
  )
}

/** "12 of 50 shown · Clear filters" while filtering ("12 of 50 · Clear" when narrow); read out. */
function ShownCount() {
  const total = useBoard((s) => s.specs.length)
  const { shown, filter } = useShownSpecs()
  const filtering = isFiltering(filter)
  return (
    <span className="filter-count" role="status" data-testid="filter-count">
      {filtering && (
        <>
          <span className="filter-count-text">
            {shown.length.toLocaleString()} of {total.toLocaleString()}
            <span className="filter-count-word"> shown</span>
          </span>
          <span aria-hidden="true"> · </span>
          <button
            type="button"
            className="link-button"
            data-testid="clear-filters"
            aria-label="Clear filters"
            onClick={() => useFilter.getState().clear()}
          >
            Clear<span className="filter-count-word"> filters</span>
          </button>
        </>
      )}
    </span>
  )
}
