// The one way a card moves — drop, Shift+arrow or the drawer's selects: an optimistic move, then
// a toast that says where it went (with Undo) or why it could not. Into the Software column a move
// means work: onto an agent's lane it dispatches a run there (or queues it there while what it
// depends on has not shipped); onto Unassigned it queues the spec for the allocator. A refused
// drop puts the card back and says why.
import { STAGE_LABELS, type Placement, type SpecCard, type SpecId } from '../../../shared/domain'
import { toFactoryError } from '../../../shared/errors'
import { laneLabel, samePlace } from '../board/cells'
import { client } from '../client'
import { useBoard } from './board'
import { useUi } from './ui'

function where(to: Placement): string {
  return `${STAGE_LABELS[to.stage]} · ${laneLabel(to.agent)}`
}

export async function moveCard(
  id: SpecId,
  to: Placement,
  /** undo: false offers no Undo; restore: an Undo putting it back, never starting work. */
  options: { undo?: boolean; restore?: boolean } = {},
) {
  const card = useBoard.getState().specs.find((s) => s.id === id)
  if (!card || samePlace(card, to)) return
  if (to.stage === 'software' && !options.restore) {
    return to.agent ? dispatchCard(card, to.agent) : queueCard(card)
  }
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
        : { label: 'Undo', run: () => void moveCard(id, from, { undo: false, restore: true }) },
  })
}

/** Onto an agent's lane: a run starts there now, or the card says why it cannot. */
async function dispatchCard(card: SpecCard, agent: string) {
  const { showToast, openRun } = useUi.getState()
  const to = { stage: 'software' as const, agent }
  try {
    const run = await useBoard
      .getState()
      .placeSpec(card.id, { ...to, status: 'running' }, () =>
        client().call('run/dispatch', { spec: card.id, agent }),
      )
    showToast({
      tone: 'info',
      message: `Started “${card.title}” on ${agent}`,
      action: { label: 'Open run', run: () => openRun(run.id) },
    })
  } catch (error) {
    const problem = toFactoryError(error)
    // Not ready yet: it waits in that lane and starts by itself once its dependencies ship.
    if (problem.code === 'SpecNotReady') return queueCard(card, agent)
    showToast({ tone: 'error', message: `${agent} can’t take “${card.title}”: ${problem.message}` })
  }
}

/** Into the queue: Unassigned for the allocator's choice, or one lane while it waits. */
async function queueCard(card: SpecCard, agent: string | null = null) {
  const { showToast } = useUi.getState()
  const from: Placement = { stage: card.stage, agent: card.agent }
  try {
    const spec = await useBoard.getState().placeSpec(
      card.id,
      { stage: 'software', agent, status: 'queued' },
      () => client().call('spec/queue', { id: card.id, agent }),
      (queued) => ({ status: queued.status, agent: queued.agent, stage: queued.stage }),
    )
    const waits = spec.waitingOn.length
      ? `; it starts by itself once ${spec.waitingOn.join(', ')} ship${spec.waitingOn.length === 1 ? 's' : ''}`
      : ''
    showToast({
      tone: 'info',
      message: `Queued “${card.title}” for ${agent ?? 'the allocator'}${waits}`,
      action: { label: 'Undo', run: () => void unqueue(card, from) },
    })
  } catch (error) {
    showToast({
      tone: 'error',
      message: `Could not queue “${card.title}”: ${toFactoryError(error).message}`,
    })
  }
}

/** Undo of a queueing: back where it was, no longer waiting for the allocator. */
async function unqueue(card: SpecCard, from: Placement) {
  try {
    await useBoard
      .getState()
      .placeSpec(card.id, { ...from, status: card.status }, () =>
        client().call('spec/unqueue', { id: card.id, stage: from.stage, agent: from.agent }),
      )
  } catch (error) {
    useUi.getState().showToast({
      tone: 'error',
      message: `Could not undo: ${toFactoryError(error).message}`,
    })
  }
}
