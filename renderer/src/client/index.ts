// The renderer's one way to reach the engine: Electron's bridge when present, HTTP otherwise.
import type { FactoryClient } from '../../../shared/api'
import { createBridgeClient, findBridge } from './bridgeClient'
import { createHttpClient } from './httpClient'

export type ConnectionState = 'connecting' | 'live' | 'reconnecting'

/** Why the server turned this tab away: its key changed (a restart with a new one), or the address. */
export type ConnectionRefusal = 'key-changed' | 'wrong-address'

export interface ConnectionReport {
  state: Exclude<ConnectionState, 'connecting'>
  /** While reconnecting: when the next try is due (ms since the epoch); null while one is under way. */
  nextTryAt: number | null
  /** Tries that failed since the push channel dropped. */
  failedTries: number
  refusal: ConnectionRefusal | null
  /** Try at once instead of waiting for the next try. */
  retryNow: () => void
}

export type ConnectionListener = (report: ConnectionReport) => void

export function createClient(onConnection: ConnectionListener = () => {}): FactoryClient {
  const bridge = findBridge()
  if (bridge) {
    // IPC to our own main process cannot drop, so the push channel is live from the start.
    onConnection({
      state: 'live',
      nextTryAt: null,
      failedTries: 0,
      refusal: null,
      retryNow: () => {},
    })
    return createBridgeClient(bridge)
  }
  return createHttpClient(onConnection)
}

let installed: FactoryClient | null = null

/** main.tsx installs the client once; stores and components reach it through client(). */
export function installClient(client: FactoryClient): void {
  installed = client
}

export function client(): FactoryClient {
  if (!installed) throw new Error('installClient() must run before the board is used')
  return installed
}
