// Specs a spec depends on (or that depend on it), by title, each with its state and, where it can
// be undone here, a remove control. A title opens that spec's drawer when `openable`.
import type { SpecId } from '../../../../shared/domain'
import { useBoard } from '../../stores/board'
import { useUi } from '../../stores/ui'
import { dependencyState } from './dependencies'

interface DependencyRowsProps {
  ids: readonly SpecId[]
  /** Whether each one has shipped (for its own dependencies, the spec's `waitingOn` says). */
  shipped: (id: SpecId) => boolean
  onRemove?: (id: SpecId) => void
  openable?: boolean
  testId: string
}

export function DependencyRows({ ids, shipped, onRemove, openable, testId }: DependencyRowsProps) {
  const specs = useBoard((s) => s.specs)
  if (ids.length === 0) return null
  return (
    <ul className="dependency-rows" data-testid={testId}>
      {ids.map((id) => {
        const card = specs.find((spec) => spec.id === id)
        const title = card?.title ?? 'A spec no longer on the board'
        const state = dependencyState(card, shipped(id))
        return (
          <li key={id} className="dependency-row" data-testid="dependency">
            {openable && card ? (
              <button
                type="button"
                className="link-button dependency-title"
                onClick={() => useUi.getState().openDrawer(id)}
              >
                {title}
              </button>
            ) : (
              <span className="dependency-title">{title}</span>
            )}
            <span className={`dependency-state${state === 'shipped' ? ' dependency-met' : ''}`}>
              {state === 'shipped' ? '✓ shipped' : state}
            </span>
            {onRemove && (
              <button
                type="button"
                className="button button-ghost button-small dependency-remove"
                aria-label={`Remove the dependency on “${title}”`}
                title="Remove this dependency"
                onClick={() => onRemove(id)}
              >
                ×
              </button>
            )}
          </li>
        )
      })}
    </ul>
  )
}
