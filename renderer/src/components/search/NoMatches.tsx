// In place of the cards when the filter leaves none: what was asked, and the way back.
import { useFilter } from '../../stores/filter'
import { chosenCount, type BoardFilter } from './boardFilter'

function asked(filter: BoardFilter): string {
  const text = filter.text.trim()
  const facets = chosenCount(filter)
  const parts = [
    text && `“${text.length > 60 ? `${text.slice(0, 60)}…` : text}”`,
    facets > 0 && `${facets === 1 ? 'the chosen filter' : `the ${facets} chosen filters`}`,
  ].filter(Boolean)
  return parts.join(' and ')
}

export function NoMatches({ filter, total }: { filter: BoardFilter; total: number }) {
  return (
    <div className="empty-board no-matches" data-testid="no-matches" role="status">
      <h2 className="panel-title">No specs match {asked(filter)}</h2>
      <p className="panel-text">
        None of the {total.toLocaleString()} specs on the board fits. Text matches a title, an id, a
        source or a tag.
      </p>
      <button
        type="button"
        className="button button-secondary"
        onClick={() => useFilter.getState().clear()}
      >
        Clear filters
      </button>
    </div>
  )
}
