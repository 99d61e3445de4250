// FactoryClient for browser mode (`factory serve`): POST per operation, Server-Sent Events for
// pushes. The auth cookie was set by the server when the page loaded, so nothing is added here.
import type { FactoryClient, PushedEvent } from '../../../shared/api'
import { HTTP_API_PREFIX, HTTP_EVENTS_PATH } from '../../../shared/bridge'
import { FactoryError } from '../../../shared/errors'
import { unwrapEnvelope } from '../../../shared/errors'
import type { ConnectionListener } from './index'

const RETRY_MIN_MS = 1_000
const RETRY_MAX_MS = 15_000

async function post(op: string, input: unknown): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(HTTP_API_PREFIX + op, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify(input),
    })
  } catch {
    throw new FactoryError('LedgerUnavailable', 'cannot reach the factory server; is it running?')
  }
  const body: unknown = await response.json().catch(() => null)
  if (body === null) {
    throw new FactoryError('Internal', `the server answered ${response.status} without an envelope`)
  }
  return unwrapEnvelope(body)
}

function isPushedEvent(value: unknown): value is PushedEvent {
  if (typeof value !== 'object' || value === null) return false
  if ((value as { kind?: unknown }).kind === 'connected') {
    return typeof (value as { seq?: unknown }).seq === 'number'
  }
  if ((value as { kind?: unknown }).kind === 'run-output') {
    const output = value as { runId?: unknown; entries?: unknown; logBytes?: unknown }
    return (
      typeof output.runId === 'string' &&
      typeof output.entries === 'number' &&
      typeof output.logBytes === 'number'
    )
  }
  const event = (value as { event?: unknown }).event
  return (
    typeof event === 'object' &&
    event !== null &&
    typeof (event as { seq?: unknown }).seq === 'number' &&
    typeof (event as { type?: unknown }).type === 'string'
  )
}

export function createHttpClient(onConnection: ConnectionListener): FactoryClient {
  const listeners = new Set<(event: PushedEvent) => void>()
  let source: EventSource | null = null
  let retryTimer: ReturnType<typeof setTimeout> | null = null
  let retryDelay = RETRY_MIN_MS

  function open(): void {
    const es = new EventSource(HTTP_EVENTS_PATH)
    source = es
    es.onopen = () => {
      retryDelay = RETRY_MIN_MS
      onConnection('live')
    }
    es.onmessage = (message: MessageEvent<string>) => {
      let data: unknown
      try {
        data = JSON.parse(message.data)
      } catch {
        return // a malformed push must not take the board down; the next one will resync it
      }
      if (isPushedEvent(data)) for (const listener of [...listeners]) listener(data)
    }
    es.onerror = () => {
      onConnection('reconnecting')
      // The browser retries by itself unless the server refused the stream (CLOSED); then we do.
      if (es.readyState === EventSource.CLOSED && source === es) scheduleReopen()
    }
  }

  function scheduleReopen(): void {
    source = null
    retryTimer = setTimeout(() => {
      retryTimer = null
      if (listeners.size > 0) open()
    }, retryDelay)
    retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS)
  }

  function close(): void {
    source?.close()
    source = null
    if (retryTimer) clearTimeout(retryTimer)
    retryTimer = null
  }

  return {
    call(op, input) {
      return post(op, input) as never
    },
    subscribe(listener) {
      listeners.add(listener)
      if (!source && !retryTimer) open()
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0) close()
      }
    },
  }
}
