// Boots the renderer: one client for whichever host we run in, live updates, then the board.
// The dev-only React refresh preamble comes as a module (empty in builds), because the strict CSP
// blocks the inline <script> the plugin would otherwise inject into index.html.
import '@vitejs/plugin-react/preamble'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import './styles/theme.css'
import './styles/base.css'
import './styles/controls.css'
import './styles/labels.css'
import './styles/forms.css'
import { App } from './components/App'
import { createClient, installClient } from './client'
import { useBoard } from './stores/board'
import { useCapacity } from './stores/capacity'
import { startClock } from './stores/clock'
import { useConnection } from './stores/connection'
import { startLiveUpdates } from './stores/liveUpdates'
import { startLocationSync } from './stores/location'

const factory = createClient((report) => useConnection.getState().report(report))
installClient(factory)
// Subscribe before the first read so no event between the two can be missed.
startLiveUpdates(factory)
startClock()
void useBoard.getState().load()
void useCapacity.getState().load()
// A reload or a pasted link reopens the drawer or run view the address names.
startLocationSync()

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
