// The window: header, board, and the layers above it (drawer, run view, dialogs, toasts).
import { useUi } from '../stores/ui'
import { AgentDialog } from './agent/AgentDialog'
import { BoardView } from './BoardView'
import { HeaderBar } from './HeaderBar'
import { KeyboardHelp } from './KeyboardHelp'
import { NewSpecDialog } from './NewSpecDialog'
import { RunView } from './run/RunView'
import { SaturationView } from './saturation/SaturationView'
import { SpecDrawer } from './SpecDrawer'
import { Toasts } from './Toasts'
import { useGlobalShortcuts } from './useGlobalShortcuts'

export function App() {
  useGlobalShortcuts()
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
