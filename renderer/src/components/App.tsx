// The window: header, board, and the layers above it (drawer, run view, dialogs, toasts).
// The layers are loaded apart from the board (markdown, the chart library, input schemas and the
// run view are most of the code): the board paints first, and the layers' code follows once it has.
import { lazy, Suspense, useEffect } from 'react'
import { useBoard } from '../stores/board'
import { useUi } from '../stores/ui'
import { BoardView } from './BoardView'
import { HeaderBar } from './HeaderBar'
import { Toasts } from './Toasts'
import { useGlobalShortcuts } from './useGlobalShortcuts'

const loadLayers = {
  drawer: () => import('./SpecDrawer'),
  runView: () => import('./run/RunView'),
  saturation: () => import('./saturation/SaturationView'),
  agent: () => import('./agent/AgentDialog'),
  newSpec: () => import('./NewSpecDialog'),
  help: () => import('./KeyboardHelp'),
}
const SpecDrawer = lazy(() => loadLayers.drawer().then((m) => ({ default: m.SpecDrawer })))
const RunView = lazy(() => loadLayers.runView().then((m) => ({ default: m.RunView })))
const SaturationView = lazy(() =>
  loadLayers.saturation().then((m) => ({ default: m.SaturationView })),
)
const AgentDialog = lazy(() => loadLayers.agent().then((m) => ({ default: m.AgentDialog })))
const NewSpecDialog = lazy(() => loadLayers.newSpec().then((m) => ({ default: m.NewSpecDialog })))
const KeyboardHelp = lazy(() => loadLayers.help().then((m) => ({ default: m.KeyboardHelp })))

/** Fetches the layers' code once the board is up, so opening one later does not wait for it. */
function usePreloadedLayers(): void {
  // After the board's first paint, not before: parsing the layers would compete with drawing it.
  const boardReady = useBoard((s) => s.status !== 'loading')
  useEffect(() => {
    if (!boardReady) return
    const preload = () => {
      for (const load of Object.values(loadLayers)) void load().catch(() => {})
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
      <Suspense fallback={null}>
        {drawerSpecId && <SpecDrawer key={drawerSpecId} id={drawerSpecId} />}
        {saturationOpen && <SaturationView />}
        {runViewId && <RunView key={runViewId} id={runViewId} />}
        {dialog?.kind === 'agent' && <AgentDialog key={dialog.name ?? ''} name={dialog.name} />}
        {dialog?.kind === 'new-spec' && <NewSpecDialog place={dialog.place} />}
        {dialog?.kind === 'help' && <KeyboardHelp />}
      </Suspense>
      <Toasts />
    </div>
  )
}
