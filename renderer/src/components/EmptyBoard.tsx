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
        Agents appear as lanes: <strong>Add a lane</strong> below.
      </p>
      <button type="button" className="button button-primary" onClick={() => openNewSpec()}>
        New spec
      </button>
    </div>
  )
}

/** Below the last lane: add another (with a word on how, when there are none yet). */
export function AddLane({ first }: { first: boolean }) {
  const openDialog = useUi((s) => s.openDialog)
  return (
    <div
      className={first ? 'lane-hint' : 'lane-add'}
      data-testid={first ? 'no-agents-hint' : undefined}
    >
      {first && (
        <span>
          Each agent subscription is a lane: specs dropped on it run there, and its quota shows in
          its header.{' '}
        </span>
      )}
      <button
        type="button"
        className={`button ${first ? 'button-primary' : 'button-ghost'} button-small`}
        data-testid="add-lane"
        onClick={() => openDialog({ kind: 'agent', name: null })}
      >
        + Add a lane
      </button>
    </div>
  )
}
