// The transport contracts behind FactoryClient: what Electron's preload exposes as `window.factory`,
// and the HTTP routes `factory serve` offers. Both carry the same Envelope and PushedEvent.
import type { Envelope } from './errors'
import type { PushedEvent } from './api'

export interface FactoryBridge {
  invoke(op: string, input: unknown): Promise<Envelope<unknown>>
  onEvent(listener: (event: PushedEvent) => void): () => void
}

export const IPC_CHANNEL_PREFIX = 'factory:'
export const IPC_EVENT_CHANNEL = 'factory:event'

/** POST `${HTTP_API_PREFIX}<operation>` with a JSON body; answers an Envelope. */
export const HTTP_API_PREFIX = '/api/'
/** GET: Server-Sent Events, one PushedEvent per message, `id:` = ledger seq (Last-Event-ID resumes). */
export const HTTP_EVENTS_PATH = '/api/events'
/** GET: whether this browser is let in (200, the ledger's newest seq) or not (401/403). */
export const HTTP_SESSION_PATH = '/api/session'
