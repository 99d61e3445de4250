// The window: header, board, and the layers above it (drawer, run view, dialogs, toasts).
// The layers are loaded apart from the board (markdown, the chart library, input schemas and the
// run view are most of the code): the board paints first, and the layers' code follows once it has.
import { useEffect } from 'react'
import { useBoard } from '../stores/board'
import { useUi } from '../stores/ui'
import { BoardView } from './BoardView'
import { ConnectionNotice } from './ConnectionNotice'
import { HeaderBar } from './HeaderBar'
import { lazyLayer } from './lazyLayer'
import { Toasts } from './Toasts'
import { useGlobalShortcuts } from './useGlobalShortcuts'

const SpecDrawer = lazyLayer(
  () => import('./SpecDrawer'),
  (m) => m.SpecDrawer,
)
const RunView = lazyLayer(
  () => import('./run/RunView'),
  (m) => m.RunView,
)
const SaturationView = lazyLayer(
  () => import('./saturation/SaturationView'),
  (m) => m.SaturationView,
)
const AgentDialog = lazyLayer(
  () => import('./agent/AgentDialog'),
  (m) => m.AgentDialog,
)
const NewSpecDialog = lazyLayer(
  () => import('./NewSpecDialog'),
  (m) => m.NewSpecDialog,
)
const KeyboardHelp = lazyLayer(
  () => import('./KeyboardHelp'),
  (m) => m.KeyboardHelp,
)
const LAYERS = [SpecDrawer, RunView, SaturationView, AgentDialog, NewSpecDialog, KeyboardHelp]

/** Fetches the layers' code once the board is up, so opening one later does not wait for it. */
function usePreloadedLayers(): void {
  // After the board's first paint, not before: parsing the layers would compete with drawing it.
  const boardReady = useBoard((s) => s.status !== 'loading')
  useEffect(() => {
    if (!boardReady) return
    const preload = () => {
      for (const layer of LAYERS) void layer.preload().catch(() => {})
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
      <ConnectionNotice />
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
