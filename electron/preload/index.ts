// The bridge: exposes `window.factory` (shared/bridge.ts) to the isolated, sandboxed renderer.
// It forwards calls and events only; the renderer never sees ipcRenderer itself.
import { contextBridge, ipcRenderer } from 'electron'
import type { PushedEvent } from '../../shared/api'
import { IPC_CHANNEL_PREFIX, IPC_EVENT_CHANNEL, type FactoryBridge } from '../../shared/bridge'
import type { Envelope } from '../../shared/errors'

const bridge: FactoryBridge = {
  invoke: (op, input) =>
    ipcRenderer.invoke(`${IPC_CHANNEL_PREFIX}${op}`, input) as Promise<Envelope<unknown>>,
  onEvent(listener) {
    const handler = (_event: unknown, pushed: PushedEvent): void => listener(pushed)
    ipcRenderer.on(IPC_EVENT_CHANNEL, handler)
    return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler)
  },
}

contextBridge.exposeInMainWorld('factory', bridge)
