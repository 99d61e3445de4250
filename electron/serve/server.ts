// Browser mode: the engine's operations over HTTP (POST /api/<operation>) and its committed events
// over Server-Sent Events, plus the built renderer, on loopback only and behind a per-start token.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { PushedEvent } from '../../shared/api'
import { HTTP_API_PREFIX, HTTP_EVENTS_PATH, HTTP_SESSION_PATH } from '../../shared/bridge'
import type { Envelope, ErrorCode, ErrorPayload } from '../../shared/errors'
import type { Engine } from '../core/engine'
import { checkRequest, cookieName, newToken } from './guard'
import { refusalPage, wantsPage } from './refusalPage'
import { serveStatic } from './static'

const MAX_BODY_BYTES = 1024 * 1024
const KEEPALIVE_MS = 15_000

export interface ServeOptions {
  engine: Engine
  rendererDir: string
  /** 0 picks a free port. */
  port?: number
  token?: string
  actor?: string
}

export interface RunningServer {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

const STATUS: Partial<Record<ErrorCode, number>> = {
  InvalidInput: 400,
  UnknownOperation: 404,
  SpecNotFound: 404,
  AgentNotFound: 404,
  AgentExists: 409,
  DependencyCycle: 400,
  // Refusals: the request was fine, the state of things says no (and says why).
  AgentUnavailable: 409,
  AgentCliMissing: 409,
  SpecBusy: 409,
  SpecNotReady: 409,
  RunNotActive: 409,
  MergeRefused: 409,
  DiscardRefused: 409,
  WorkspaceError: 409,
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  })
  response.end(JSON.stringify(body))
}

function sendError(response: ServerResponse, status: number, error: ErrorPayload): void {
  sendJson(response, status, { ok: false, error })
}

/** A body past the limit: answered 413, saying the limit, never a reset connection. */
class BodyTooLarge extends Error {
  constructor() {
    super(`the request body is over the limit of ${MAX_BODY_BYTES} bytes (1 MiB)`)
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'])
    if (declared > MAX_BODY_BYTES) {
      reject(new BodyTooLarge())
      return
    }
    let size = 0
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        // Keep reading what is still coming (and drop it): a client that is mid-send reads
        // the 413 instead of a reset connection.
        chunks.length = 0
        reject(new BodyTooLarge())
      } else chunks.push(chunk)
    })
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

async function handleOperation(
  options: ServeOptions,
  op: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  let input: unknown
  try {
    const text = await readBody(request)
    input = text.trim() === '' ? {} : JSON.parse(text)
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      response.setHeader('connection', 'close')
      sendError(response, 413, { code: 'InvalidInput', message: error.message })
      return
    }
    const message =
      error instanceof SyntaxError
        ? `the body is not JSON (${error.message})`
        : (error as Error).message
    sendError(response, 400, { code: 'InvalidInput', message })
    return
  }
  // Awaited: an asynchronous operation (usage/sync) answers a promise of its envelope.
  const envelope: Envelope<unknown> = await options.engine.invoke(
    op,
    input,
    options.actor ?? 'browser',
  )
  sendJson(response, envelope.ok ? 200 : (STATUS[envelope.error.code] ?? 500), envelope)
}

function streamEvents(
  engine: Engine,
  request: IncomingMessage,
  url: URL,
  response: ServerResponse,
): void {
  // Read before the head is sent: a ledger that cannot be read is a 500, not a stream cut short.
  const latest = engine.ledger.latestSeq()
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  })
  const send = (event: Extract<PushedEvent, { kind: 'ledger' }>): void => {
    response.write(`id: ${event.event.seq}\ndata: ${JSON.stringify(event)}\n\n`)
  }
  // A reconnecting EventSource says where it stopped (its own Last-Event-ID, or `?since=` from a
  // tab that opened a new stream after the server restarted); replay what it missed, then follow.
  const since = request.headers['last-event-id'] ?? url.searchParams.get('since')
  const lastId = since ? Number(since) : NaN
  let cursor = Number.isSafeInteger(lastId) && lastId >= 0 ? Math.min(lastId, latest) : latest
  const unsubscribe = engine.subscribe((event) => {
    if (event.seq <= cursor) return
    cursor = event.seq
    send({ kind: 'ledger', event })
  })
  for (const event of engine.ledger.eventsSince(cursor)) {
    cursor = event.seq
    send({ kind: 'ledger', event })
  }
  response.write(
    `data: ${JSON.stringify({ kind: 'connected', seq: cursor } satisfies PushedEvent)}\n\n`,
  )
  // Output pushes carry no id: a reconnect re-reads the run view's window instead of replaying.
  const unsubscribeOutput = engine.subscribeRunOutput((event) => {
    response.write(`data: ${JSON.stringify(event)}\n\n`)
  })
  const keepalive = setInterval(() => response.write(': keepalive\n\n'), KEEPALIVE_MS)
  request.on('close', () => {
    clearInterval(keepalive)
    unsubscribe()
    unsubscribeOutput()
  })
}

/**
 * The request-target as a URL on this server. Only the origin form (`/path?query`) is ours; it is
 * read as a path even when it starts with `//`, which a URL parser would take for a host.
 */
function requestTarget(raw: string | undefined): URL | undefined {
  if (!raw?.startsWith('/')) return undefined
  try {
    return new URL(`http://127.0.0.1${raw}`)
  } catch {
    return undefined
  }
}

function answerFailure(response: ServerResponse, error: unknown): void {
  console.error(`factory serve: a request failed: ${(error as Error)?.stack ?? String(error)}`)
  if (response.headersSent) {
    response.destroy()
    return
  }
  sendError(response, 500, {
    code: 'Internal',
    message: 'the server could not answer this request; it goes on serving',
  })
}

function handleRequest(
  options: ServeOptions,
  request: IncomingMessage,
  response: ServerResponse,
  port: number,
  token: string,
): Promise<void> | undefined {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value)
  const url = requestTarget(request.url)
  if (!url) {
    sendError(response, 400, {
      code: 'InvalidInput',
      message: 'the request target is not a path on this server',
    })
    return
  }
  const verdict = checkRequest(request, url, port, token)
  if (!verdict.ok) {
    if (wantsPage(request)) {
      // A person's reload or pasted link: say in words how to get in, not a JSON error.
      response.writeHead(verdict.status, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
      })
      response.end(request.method === 'HEAD' ? undefined : refusalPage(verdict.refusal, port))
      return
    }
    const code = verdict.status === 401 ? 'Unauthorized' : 'Forbidden'
    sendError(response, verdict.status, { code, message: verdict.reason })
    return
  }
  if (
    url.searchParams.has('token') &&
    request.method === 'GET' &&
    !url.pathname.startsWith('/api/')
  ) {
    // Trade the token in the address bar for a cookie, so it stays out of history and screenshots.
    url.searchParams.delete('token')
    response.writeHead(302, {
      'set-cookie': `${cookieName(port)}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
      // One leading slash: `//host` in a Location header would send the browser to that host.
      location: `/${url.pathname.replace(/^\/+/, '')}${url.search}`,
    })
    response.end()
    return
  }
  if (url.pathname === HTTP_EVENTS_PATH && request.method === 'GET') {
    streamEvents(options.engine, request, url, response)
    return
  } else if (url.pathname === HTTP_SESSION_PATH && request.method === 'GET') {
    // A tab asking whether it is still let in (after a restart): past the guard, so yes.
    sendJson(response, 200, { ok: true, result: { seq: options.engine.ledger.latestSeq() } })
    return
  } else if (url.pathname.startsWith(HTTP_API_PREFIX)) {
    if (request.method !== 'POST') {
      sendError(response, 405, {
        code: 'InvalidInput',
        message: 'operations are called with POST',
      })
      return
    }
    return handleOperation(options, url.pathname.slice(HTTP_API_PREFIX.length), request, response)
  } else if (request.method === 'GET' || request.method === 'HEAD') {
    if (!serveStatic(options.rendererDir, url.pathname, response)) {
      sendError(response, 400, {
        code: 'InvalidInput',
        message: 'the path is not valid URL encoding',
      })
    }
  } else {
    const message = `${request.method} is not allowed here`
    sendError(response, 405, { code: 'InvalidInput', message })
  }
}

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? newToken()
  const sockets = new Set<import('node:net').Socket>()
  let port = 0
  const server: Server = createServer((request, response) => {
    // Whatever a request holds, it is answered and the server goes on: a handler that throws
    // (synchronously or later) answers 500, never ends the process.
    try {
      const pending = handleRequest(options, request, response, port, token)
      if (pending) pending.catch((error: unknown) => answerFailure(response, error))
    } catch (error) {
      answerFailure(response, error)
    }
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  port = (server.address() as AddressInfo).port
  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
