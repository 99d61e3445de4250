// The top bar: what this is, how much is on the board, whether it is live, and the main action.
import { counted } from '../../../shared/format'
import { useBoard } from '../stores/board'
import { useConnection } from '../stores/connection'
import { useUi } from '../stores/ui'
import './header.css'

function ConnectionStatus() {
  const state = useConnection((s) => s.state)
  const label =
    state === 'live'
      ? 'Live'
      : state === 'connecting'
        ? 'Connecting…'
        : 'Disconnected — reconnecting'
  return (
    <span className={`connection connection-${state}`} role="status" data-testid="connection">
      <span className="connection-dot" aria-hidden="true" />
      {label}
    </span>
  )
}

export function HeaderBar() {
  const specCount = useBoard((s) => s.specs.length)
  const agentCount = useBoard((s) => s.agents.length)
  const ready = useBoard((s) => s.status === 'ready')
  const openDialog = useUi((s) => s.openDialog)
  const openNewSpec = useUi((s) => s.openNewSpec)
  return (
    <header className="header">
      <div className="header-brand">
        <span className="header-logo" aria-hidden="true" />
        <h1 className="header-title">Factory Stack</h1>
        {ready && (
          <span className="header-counts">
            {counted(specCount, 'spec')} · {counted(agentCount, 'agent')}
          </span>
        )}
      </div>
      <div className="header-actions">
        <ConnectionStatus />
        <button
          type="button"
          className="button button-ghost"
          data-testid="open-saturation"
          aria-keyshortcuts="S"
          title="Utilization per agent over time (S)"
          onClick={() => useUi.getState().openSaturation()}
        >
          Saturation <kbd className="kbd">S</kbd>
        </button>
        <button
          type="button"
          className="button button-ghost button-icon"
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (?)"
          onClick={() => openDialog({ kind: 'help' })}
        >
          ?
        </button>
        <button
          type="button"
          className="button button-primary"
          data-testid="new-spec"
          aria-keyshortcuts="N"
          onClick={() => openNewSpec()}
        >
          <span aria-hidden="true" className="button-plus">
            +
          </span>
          New spec
          <kbd className="kbd kbd-on-primary">N</kbd>
        </button>
      </div>
    </header>
  )
}
