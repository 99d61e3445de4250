// Keeps the board in step with the ledger: pushed spec/agent events trigger one debounced re-read.
// The renderer never polls. When a push channel (re)opens, the host says the newest seq; the board
// is re-read only if it is behind that, i.e. if something happened while nobody was listening.
import type { FactoryClient } from '../../../shared/api'
import { useBoard } from './board'
import { changesCapacity, useCapacity } from './capacity'

const DEBOUNCE_MS = 50
/** Usage ticks arrive often while runs stream; lane meters need not follow each one. */
const CAPACITY_DEBOUNCE_MS = 500
const CAPACITY_REFRESH_MS = 30_000

export function startLiveUpdates(factory: FactoryClient): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null
  let capacityTimer: ReturnType<typeof setTimeout> | null = null
  const reloadCapacity = () => {
    capacityTimer ??= setTimeout(() => {
      capacityTimer = null
      void useCapacity.getState().load()
    }, CAPACITY_DEBOUNCE_MS)
  }
  const capacityTick = setInterval(() => void useCapacity.getState().load(), CAPACITY_REFRESH_MS)
  const reload = () => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      void useBoard.getState().load()
    }, DEBOUNCE_MS)
  }

  const unsubscribe = factory.subscribe((pushed) => {
    if (pushed.kind === 'connected') {
      void useCapacity.getState().load()
      // The first board read may still be in flight; compare once it has landed.
      void useBoard
        .getState()
        .settled()
        .then(() => {
          if (useBoard.getState().seq < pushed.seq) reload()
        })
      return
    }
    if (pushed.kind !== 'ledger') return
    const { event } = pushed
    if (changesCapacity(event.type)) reloadCapacity()
    if (!changesBoard(event.type)) return
    if (event.seq <= useBoard.getState().seq) return
    reload()
  })

  return () => {
    if (timer) clearTimeout(timer)
    if (capacityTimer) clearTimeout(capacityTimer)
    clearInterval(capacityTick)
    unsubscribe()
  }
}

/** Run events a card shows: its badge, and a shipped card's branch state. */
const CARD_RUN_EVENTS = new Set(
  [
    ...['started', 'progress', 'shipped', 'done', 'failed', 'lost'],
    ...['merged', 'discarded', 'merge-refused', 'branch-checked'],
  ].map((what) => `run.${what}`),
)

/** Events that change what a card or lane shows; usage ticks and review notes do not. */
export function changesBoard(type: string): boolean {
  return /^(spec|agent)\./.test(type) || CARD_RUN_EVENTS.has(type)
}
