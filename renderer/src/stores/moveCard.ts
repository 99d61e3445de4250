// The one way a card moves — drop, Shift+arrow or the drawer's selects: an optimistic move, then
// a toast that says where it went (with Undo) or why it could not.
import { STAGE_LABELS, type Placement, type SpecId } from '../../../shared/domain'
import { laneLabel, samePlace } from '../board/cells'
import { useBoard } from './board'
import { useUi } from './ui'

function where(to: Placement): string {
  return `${STAGE_LABELS[to.stage]} · ${laneLabel(to.agent)}`
}

export async function moveCard(id: SpecId, to: Placement, options: { undo?: boolean } = {}) {
  const card = useBoard.getState().specs.find((s) => s.id === id)
  if (!card || samePlace(card, to)) return
  const from: Placement = { stage: card.stage, agent: card.agent }
  const { showToast } = useUi.getState()
  try {
    await useBoard.getState().moveSpec(id, to)
  } catch (error) {
    showToast({
      tone: 'error',
      message: `Could not move “${card.title}”: ${(error as Error).message}`,
    })
    return
  }
  showToast({
    tone: 'info',
    message: `Moved “${card.title}” to ${where(to)}`,
    action:
      options.undo === false
        ? undefined
        : { label: 'Undo', run: () => void moveCard(id, from, { undo: false }) },
  })
}
