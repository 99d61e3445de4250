// FactoryClient over Electron's preload bridge (window.factory): IPC carries the same envelopes.
import type { FactoryClient } from '../../../shared/api'
import type { FactoryBridge } from '../../../shared/bridge'
import { unwrapForApp } from './unwrapForApp'

export function findBridge(): FactoryBridge | null {
  // Read through a cast instead of augmenting Window, so the preload may declare it too.
  const bridge = (window as Window & { factory?: FactoryBridge }).factory
  return bridge && typeof bridge.invoke === 'function' ? bridge : null
}

export function createBridgeClient(bridge: FactoryBridge): FactoryClient {
  return {
    async call(op, input) {
      return unwrapForApp(await bridge.invoke(op, input))
    },
    subscribe(listener) {
      return bridge.onEvent(listener)
    },
  }
}
