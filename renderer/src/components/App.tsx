// The window: header, board, and the layers above it (drawer, run view, dialogs, toasts).
// The layers are loaded apart from the board (markdown, the chart library, input schemas and the
// run view are most of the code): the board paints first, and the layers' code follows once it has.
import { useEffect } from 'react'
import { useBoard } from '../stores/board'
import { useUi } from '../stores/ui'
import { BoardView } from './BoardView'
import { HeaderBar } from './HeaderBar'
import { lazyLayer } from './lazyLayer'
import { Toasts } from './Toasts'
import { useGlobalShortcuts } from './useGlobalShortcuts'

const layers = {
  drawer: lazyLayer(
    () => import('./SpecDrawer'),
    (m) => m.SpecDrawer,
  ),
  runView: lazyLayer(
    () => import('./run/RunView'),
    (m) => m.RunView,
  ),
  saturation: lazyLayer(
    () => import('./saturation/SaturationView'),
    (m) => m.SaturationView,
  ),
  agent: lazyLayer(
    () => import('./agent/AgentDialog'),
    (m) => m.AgentDialog,
  ),
  newSpec: lazyLayer(
    () => import('./NewSpecDialog'),
    (m) => m.NewSpecDialog,
  ),
  help: lazyLayer(
    () => import('./KeyboardHelp'),
    (m) => m.KeyboardHelp,
  ),
}
const SpecDrawer = layers.drawer.Component
const RunView = layers.runView.Component
const SaturationView = layers.saturation.Component
const AgentDialog = layers.agent.Component
const NewSpecDialog = layers.newSpec.Component
const KeyboardHelp = layers.help.Component

/** Fetches the layers' code once the board is up, so opening one later does not wait for it. */
function usePreloadedLayers(): void {
  // After the board's first paint, not before: parsing the layers would compete with drawing it.
  const boardReady = useBoard((s) => s.status !== 'loading')
  useEffect(() => {
    if (!boardReady) return
    const preload = () => {
      for (const layer of Object.values(layers)) void layer.preload().catch(() => {})
    }
    const idle = window.requestIdleCallback?.(preload, { timeout: 2000 })
    const timer = idle === undefined ? window.setTimeout(preload, 500) : undefined
    return () => {
      if (idle !== undefined) window.cancelIdleCallback(idle)
      if (timer !== undefined) window.clearTimeout(timer)
    }
  }, [boardReady])
}

export function App() {
  useGlobalShortcuts()
  usePreloadedLayers()
  const dialog = useUi((s) => s.dialog)
  const drawerSpecId = useUi((s) => s.drawerSpecId)
  const runViewId = useUi((s) => s.runViewId)
  const saturationOpen = useUi((s) => s.saturationOpen)
  return (
    <div className="app">
      <HeaderBar />
      <main className={`app-main${drawerSpecId ? ' app-main-with-drawer' : ''}`}>
        <BoardView />
      </main>
      {drawerSpecId && <SpecDrawer key={drawerSpecId} id={drawerSpecId} />}
      {saturationOpen && <SaturationView />}
      {runViewId && <RunView key={runViewId} id={runViewId} />}
      {dialog?.kind === 'new-spec' && <NewSpecDialog place={dialog.place} />}
      {dialog?.kind === 'help' && <KeyboardHelp />}
      {dialog?.kind === 'agent' && <AgentDialog key={dialog.name ?? ''} name={dialog.name} />}
      <Toasts />
    </div>
  )
}
