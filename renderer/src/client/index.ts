// The renderer's one way to reach the engine: Electron's bridge when present, HTTP otherwise.
import type { FactoryClient } from '../../../shared/api'
import { createBridgeClient, findBridge } from './bridgeClient'
import { createHttpClient } from './httpClient'

export type ConnectionState = 'connecting' | 'live' | 'reconnecting'
export type ConnectionListener = (state: Exclude<ConnectionState, 'connecting'>) => void

export function createClient(onConnection: ConnectionListener = () => {}): FactoryClient {
  const bridge = findBridge()
  if (bridge) {
    // IPC to our own main process cannot drop, so the push channel is live from the start.
    onConnection('live')
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
