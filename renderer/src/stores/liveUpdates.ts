// Keeps the board in step with the ledger: pushed spec/agent events trigger one debounced re-read.
// The renderer never polls. When a push channel (re)opens, the host says the newest seq; the board
// is re-read only if it is behind that, i.e. if something happened while nobody was listening.
import type { FactoryClient } from '../../../shared/api'
import { useBoard } from './board'

const DEBOUNCE_MS = 50

export function startLiveUpdates(factory: FactoryClient): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null
  const reload = () => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      void useBoard.getState().load()
    }, DEBOUNCE_MS)
  }

  const unsubscribe = factory.subscribe((pushed) => {
    if (pushed.kind === 'connected') {
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
    if (!changesBoard(event.type)) return
    if (event.seq <= useBoard.getState().seq) return
    reload()
  })

  return () => {
    if (timer) clearTimeout(timer)
    unsubscribe()
  }
}

/** Events that change what a card or lane shows; usage ticks and review notes do not. */
export function changesBoard(type: string): boolean {
  return /^(spec|agent)\.|^run\.(started|progress|shipped|done|failed|lost)$/.test(type)
}
