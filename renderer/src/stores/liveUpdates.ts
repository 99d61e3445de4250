// Keeps the board in step with the ledger: pushed spec/agent events trigger one debounced re-read.
// The renderer never polls; each (re)connect re-reads once because pushes may have been missed.
import type { FactoryClient } from '../../../shared/api'
import { useBoard } from './board'
import { useConnection } from './connection'

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

  const unsubscribe = factory.subscribe(({ event }) => {
    if (!event.type.startsWith('spec.') && !event.type.startsWith('agent.')) return
    if (event.seq <= useBoard.getState().seq) return
    reload()
  })

  const unwatch = useConnection.subscribe((now, before) => {
    // Pushes sent while we were not listening are lost; one re-read closes the gap.
    if (now.state === 'live' && before.state !== 'live') reload()
  })

  return () => {
    if (timer) clearTimeout(timer)
    unsubscribe()
    unwatch()
  }
}
