// A spec's status as a coloured dot and word, the same on a card and in the drawer.
import type { SpecStatus } from '../../../shared/domain'

export function StatusBadge({ status }: { status: SpecStatus }) {
  return (
    <span className={`status status-${status}`}>
      <span className="status-dot" aria-hidden="true" />
      {status}
    </span>
  )
}
