// The top bar: what this is, how much is on the board, the filter, whether it is live, and the
// main actions; the command palette (Ctrl/Cmd-K) opens from here.
import { counted } from '../../../shared/format'
import { useBoard } from '../stores/board'
import { useConnection } from '../stores/connection'
import { useFilter } from '../stores/filter'
import { useUi } from '../stores/ui'
import { isFiltering } from './search/boardFilter'
import { CommandPalette } from './search/CommandPalette'
import { FilterBar } from './search/FilterBar'
import './header.css'

/** ⌘ on a Mac, Ctrl elsewhere: what the palette's key is called where the user is. */
const PALETTE_KEY = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘K' : 'Ctrl K'

function ConnectionStatus() {
  const state = useConnection((s) => s.state)
  const refused = useConnection((s) => s.refusal !== null)
  // The notice under the header says when it tries next and what to do; this only names the state.
  const label =
    state === 'live'
      ? 'Live'
      : state === 'connecting'
        ? 'Connecting…'
        : refused
          ? 'Not let in'
          : 'Reconnecting…'
  return (
    <span className={`connection connection-${state}`} role="status" data-testid="connection">
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-label">{label}</span>
    </span>
  )
}

export function HeaderBar() {
  const specCount = useBoard((s) => s.specs.length)
  const agentCount = useBoard((s) => s.agents.length)
  const ready = useBoard((s) => s.status === 'ready')
  const openDialog = useUi((s) => s.openDialog)
  const openNewSpec = useUi((s) => s.openNewSpec)
  // While filtering, the filter bar says "12 of 50 shown" instead.
  const filtering = useFilter((s) => isFiltering(s.filter))
  const paletteOpen = useFilter((s) => s.paletteOpen)
  return (
    <header className="header">
      <div className="header-brand">
        <span className="header-logo" aria-hidden="true" />
        <h1 className="header-title">Factory Stack</h1>
        {ready && !filtering && (
          <span className="header-counts">
            {counted(specCount, 'spec')} · {counted(agentCount, 'agent')}
          </span>
        )}
      </div>
      {ready && <FilterBar />}
      <div className="header-actions">
        <ConnectionStatus />
        <button
          type="button"
          className="button button-ghost header-palette"
          data-testid="open-palette"
          aria-keyshortcuts="Control+K Meta+K"
          title={`Go to a spec or lane, or run an action (${PALETTE_KEY})`}
          onClick={() => useFilter.getState().openPalette()}
        >
          Go to…
          <kbd className="kbd header-kbd">{PALETTE_KEY}</kbd>
        </button>
        <button
          type="button"
          className="button button-ghost"
          data-testid="open-saturation"
          aria-keyshortcuts="S"
          title="Utilization per agent over time (S)"
          onClick={() => useUi.getState().openSaturation()}
        >
          Saturation <kbd className="kbd header-kbd">S</kbd>
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
          <kbd className="kbd kbd-on-primary header-kbd">N</kbd>
        </button>
      </div>
      {paletteOpen && <CommandPalette />}
    </header>
  )
}
