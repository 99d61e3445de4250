// FactoryClient for browser mode (`factory serve`): POST per operation, Server-Sent Events for
// pushes. The auth cookie was set by the server when the page loaded, so nothing is added here.
// When the stream drops (serve stopped or restarted) this client, not the browser, tries again:
// it asks the server first whether the tab is still let in, backs off, and says when it tries next.
import type { FactoryClient, PushedEvent } from '../../../shared/api'
import { HTTP_API_PREFIX, HTTP_EVENTS_PATH, HTTP_SESSION_PATH } from '../../../shared/bridge'
import { FactoryError } from '../../../shared/errors'
import type { ConnectionListener, ConnectionRefusal } from './index'
import { probeVerdict, retryDelay, type ProbeVerdict } from './reconnect'
import { unwrapForApp } from './unwrapForApp'

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
  return unwrapForApp(body)
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

async function probe(): Promise<ProbeVerdict> {
  try {
    const response = await fetch(HTTP_SESSION_PATH, {
      credentials: 'same-origin',
      cache: 'no-store',
    })
    return probeVerdict(response.status)
  } catch {
    return probeVerdict(null)
  }
}

export function createHttpClient(onConnection: ConnectionListener): FactoryClient {
  const listeners = new Set<(event: PushedEvent) => void>()
  let source: EventSource | null = null
  let retryTimer: ReturnType<typeof setTimeout> | null = null
  let trying = false
  let failedTries = 0
  let refusal: ConnectionRefusal | null = null
  /** The newest seq this tab has seen, so a new stream replays only what was missed. */
  let lastSeq: number | null = null

  const report = (nextTryAt: number | null): void =>
    onConnection({ state: 'reconnecting', nextTryAt, failedTries, refusal, retryNow })

  function open(): void {
    const es = new EventSource(
      lastSeq === null ? HTTP_EVENTS_PATH : `${HTTP_EVENTS_PATH}?since=${lastSeq}`,
    )
    source = es
    es.onopen = () => {
      failedTries = 0
      refusal = null
      onConnection({ state: 'live', nextTryAt: null, failedTries, refusal, retryNow })
    }
    es.onmessage = (message: MessageEvent<string>) => {
      let data: unknown
      try {
        data = JSON.parse(message.data)
      } catch {
        return // a malformed push must not take the board down; the next one will resync it
      }
      if (!isPushedEvent(data)) return
      if (data.kind === 'connected') lastSeq = data.seq
      else if (data.kind === 'ledger') lastSeq = Math.max(lastSeq ?? 0, data.event.seq)
      for (const listener of [...listeners]) listener(data)
    }
    es.onerror = () => {
      if (source !== es) return
      // Closed here, so the browser does not retry on its own schedule, which we could not show.
      es.close()
      source = null
      schedule()
    }
  }

  function schedule(): void {
    if (retryTimer) clearTimeout(retryTimer)
    const wait = retryDelay(failedTries)
    retryTimer = setTimeout(() => void tryAgain(), wait)
    report(Date.now() + wait)
  }

  async function tryAgain(): Promise<void> {
    if (retryTimer) clearTimeout(retryTimer)
    retryTimer = null
    if (trying || source || listeners.size === 0) return
    trying = true
    report(null)
    const verdict = await probe()
    trying = false
    if (listeners.size === 0 || source) return
    if (verdict === 'in') {
      open()
      return
    }
    failedTries += 1
    // Refused: the server is up but will not let this tab in; it keeps asking, slowly, in case
    // it starts again with the key this tab holds.
    refusal = verdict === 'down' ? null : verdict
    schedule()
  }

  function retryNow(): void {
    if (!source) void tryAgain()
  }

  function close(): void {
    source?.close()
    source = null
    if (retryTimer) clearTimeout(retryTimer)
    retryTimer = null
  }

  // Coming back to the tab (or the network) is a good moment to try, rather than waiting.
  const tryWhenBack = (): void => {
    if (document.visibilityState === 'visible' && retryTimer) retryNow()
  }
  document.addEventListener('visibilitychange', tryWhenBack)
  window.addEventListener('online', tryWhenBack)

  return {
    call(op, input) {
      return post(op, input) as never
    },
    subscribe(listener) {
      listeners.add(listener)
      if (!source && !retryTimer && !trying) open()
      return () => {
        listeners.delete(listener)
        if (listeners.size === 0) close()
      }
    },
  }
}
