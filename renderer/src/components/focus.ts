// Focus that follows the user: closing the drawer hands focus back to the card it showed.
import type { SpecId } from '../../../shared/domain'
import { useUi } from '../stores/ui'

export function focusCardElement(id: SpecId): void {
  const card = document.querySelector<HTMLElement>(`[data-testid="card"][data-spec-id="${id}"]`)
  card?.focus()
}

export function closeDrawerAndFocusCard(): void {
  const ui = useUi.getState()
  const id = ui.drawerSpecId
  if (!id) return
  ui.closeDrawer()
  // Still open: it asked first (typed edits), and focus stays with that question.
  if (useUi.getState().drawerSpecId === null) focusCardElement(id)
}
