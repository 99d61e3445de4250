// Moving DOM focus to a card by id, for when the element that had focus went away.
import type { SpecId } from '../../../shared/domain'

export function focusCardElement(id: SpecId): void {
  const card = document.querySelector<HTMLElement>(`[data-testid="card"][data-spec-id="${id}"]`)
  card?.focus()
}
