// What to do next when the board has nothing on it yet.
import { useUi } from '../stores/ui'

export function EmptyBoard() {
  const openNewSpec = useUi((s) => s.openNewSpec)
  return (
    <div className="empty-board" data-testid="empty-board">
      <div className="empty-board-mark" aria-hidden="true" />
      <h2 className="panel-title">No specs yet</h2>
      <p className="panel-text">
        Press <kbd className="kbd">N</kbd> or <strong>New spec</strong> to add your first spec.
        Agents appear as lanes (<code className="code">factory agent add bob</code>).
      </p>
      <button type="button" className="button button-primary" onClick={() => openNewSpec()}>
        New spec
      </button>
    </div>
  )
}

export function NoAgentsHint() {
  return (
    <div className="lane-hint" data-testid="no-agents-hint">
      Add an agent lane with <code className="code">factory agent add NAME</code>
    </div>
  )
}
