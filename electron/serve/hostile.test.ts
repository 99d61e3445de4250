// `factory serve` under hostile requests: whatever arrives on the socket (request-targets that do
// not parse, any header or cookie, bodies of any shape and size), the server answers and goes on,
// and a refused request leaves the ledger byte-identical.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { connect } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../core/engine'
import { ledgerBytes, tempDir } from '../core/testing'
import { startServer, type RunningServer } from './server'

let engine: Engine
let server: RunningServer
let dir: string
let cleanup: () => void

beforeEach(async () => {
  ;({ dir, cleanup } = tempDir())
  const rendererDir = join(dir, 'renderer')
  mkdirSync(rendererDir)
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Factory Stack</title>')
  engine = createEngine({ dbPath: join(dir, 'ledger.db'), feedIntervalMs: 50 })
  engine.call('spec/add', { title: 'Already here' }, 'test')
  server = await startServer({ engine, rendererDir, port: 0 })
})
afterEach(async () => {
  await server.close()
  engine.close()
  cleanup()
})

/** Sends bytes as they are (no client library to tidy them up) and reads the status line. */
function raw(port: number, bytes: Buffer | string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    const done = (): void => {
      const text = Buffer.concat(chunks).toString('latin1')
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0)
      resolve({ status, text })
    }
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer within 5 s')))
    socket.on('data', (chunk) => {
      chunks.push(chunk)
      // One answer is all we wait for; an SSE stream would never end by itself.
      const text = Buffer.concat(chunks).toString('latin1')
      const head = text.indexOf('\r\n\r\n')
      if (head < 0) return
      const length = /\r\ncontent-length: (\d+)/i.exec(text.slice(0, head))?.[1]
      if (length === undefined || text.length >= head + 4 + Number(length)) {
        socket.destroy()
        done()
      }
    })
    socket.on('close', done)
    socket.on('error', (error: NodeJS.ErrnoException) =>
      // The server may close on a request it cannot parse; what it answered first still counts.
      chunks.length > 0 || error.code === 'ECONNRESET' ? done() : reject(error),
    )
    socket.write(bytes)
  })
}

function request(
  port: number,
  parts: { method?: string; target: string; headers?: string[]; body?: string | Buffer },
): Promise<{ status: number; text: string }> {
  const body = parts.body ?? ''
  const head = [
    `${parts.method ?? 'GET'} ${parts.target} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    ...(parts.headers ?? []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
  ].join('\r\n')
  return raw(port, Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), Buffer.from(body)]))
}

async function stillServing(): Promise<void> {
  const reply = await request(server.port, {
    target: '/',
    headers: [`Authorization: Bearer ${server.token}`],
  })
  expect(reply.status).toBe(200)
}

const anyText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom('%E0%A4%A', '%', '%%', '%zz', '\u0000', '[', '//[', '\ud800', '../..', '%2e%2e/'),
)
const target = fc
  .tuple(
    fc.constantFrom('/', '//', '/api/', '/api/events', '/assets/', '', '*', 'http://x'),
    anyText,
  )
  .map(([start, rest]) => start + rest)
const headerLine = fc.oneof(
  fc.tuple(fc.stringMatching(/^[A-Za-z-]{1,20}$/), anyText).map(([n, v]) => `${n}: ${v}`),
  anyText.map((v) => `Cookie: factory_token_0=${v}; x=${v}`),
  anyText.map((v) => `Origin: ${v}`),
  anyText.map((v) => `Authorization: ${v}`),
  anyText.map((v) => `Last-Event-ID: ${v}`),
)
const body = fc.oneof(
  fc.constant(''),
  anyText,
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)),
)

describe('factory serve, whatever a request holds', () => {
  it('answers a request-target that does not parse with 400 and goes on', async () => {
    for (const bad of ['//[', '//[/api/events', '//evil.example/', 'http://[', '*']) {
      const reply = await request(server.port, { target: bad })
      expect(reply.status, bad).toBeGreaterThanOrEqual(400)
      expect(reply.status, bad).toBeLessThan(500)
    }
    await stillServing()
  })

  it('treats a malformed cookie as no token, not a crash', async () => {
    const reply = await request(server.port, {
      target: '/',
      headers: [`Cookie: factory_token_${server.port}=%E0%A4%A`],
    })
    expect(reply.status).toBe(401)
    await stillServing()
  })

  it('answers a body over the limit with 413 naming the limit, not a reset', async () => {
    const auth = `Authorization: Bearer ${server.token}`
    const declared = await request(server.port, {
      method: 'POST',
      target: '/api/spec/add',
      headers: [auth],
      body: 'x'.repeat(2 * 1024 * 1024),
    })
    expect(declared.status).toBe(413)
    expect(declared.text).toContain('1048576 bytes')
    // Chunked: no length up front, the limit is found while reading.
    const chunk = 'y'.repeat(256 * 1024)
    const pieces = Array.from({ length: 8 }, () => `${chunk.length.toString(16)}\r\n${chunk}\r\n`)
    const chunked = await raw(
      server.port,
      `POST /api/spec/add HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n${auth}\r\n` +
        `Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n${pieces.join('')}0\r\n\r\n`,
    )
    expect(chunked.status).toBe(413)
    expect(engine.ledger.latestSeq()).toBe(1)
    await stillServing()
  })

  it('answers 500 when a handler fails, and goes on serving', async () => {
    // The ledger goes away under the server: reading events throws inside the handler.
    engine.ledger.close()
    const reply = await request(server.port, {
      target: '/api/events',
      headers: [`Authorization: Bearer ${server.token}`],
    })
    expect(reply.status).toBe(500)
    expect(reply.text).toContain('goes on serving')
    await stillServing()
  })

  it('any request without the token: a 4xx, the server alive, the ledger byte-identical', async () => {
    const before = ledgerBytes(engine.ledger.path)
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'BREW', 'G\u00e9T'),
        target,
        fc.array(headerLine, { maxLength: 4 }),
        body,
        async (method, path, headers, payload) => {
          const reply = await request(server.port, { method, target: path, headers, body: payload })
          // 0: the parser refused the bytes and closed the connection without an answer.
          expect([0, 400, 401, 403, 404, 405, 413, 414, 431]).toContain(reply.status)
        },
      ),
      { numRuns: 200, seed: 14 },
    )
    expect(ledgerBytes(engine.ledger.path)).toBe(before)
    await stillServing()
  })

  it('any body to any operation with the token: never a 500, and a refusal writes nothing', async () => {
    const ops = fc.constantFrom(
      'spec/add',
      'spec/edit',
      'spec/move',
      'spec/get',
      'agent/add',
      'agent/set',
      'run/dispatch',
      'run/cancel',
      'settings/set',
      'nope',
      '../spec/add',
    )
    await fc.assert(
      fc.asyncProperty(
        ops,
        fc.oneof(
          body,
          fc.anything().map((v) => JSON.stringify(v) ?? ''),
        ),
        async (op, payload) => {
          const seq = engine.ledger.latestSeq()
          const bytes = ledgerBytes(engine.ledger.path)
          const reply = await request(server.port, {
            method: 'POST',
            target: `/api/${op}`,
            headers: [`Authorization: Bearer ${server.token}`, 'Content-Type: application/json'],
            body: payload,
          })
          expect(reply.status).not.toBe(500)
          expect(reply.status).not.toBe(0)
          if (reply.status !== 200) {
            expect(engine.ledger.latestSeq()).toBe(seq)
            expect(ledgerBytes(engine.ledger.path)).toBe(bytes)
          }
        },
      ),
      { numRuns: 300, seed: 14 },
    )
    await stillServing()
  })
})

describe('the factory serve process', () => {
  let child: ChildProcess | undefined
  afterEach(() => {
    child?.kill('SIGTERM')
  })

  it('survives the requests that used to end it, with no token', async () => {
    const cli = fileURLToPath(new URL('../cli/main.ts', import.meta.url))
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
    child = spawn(
      process.execPath,
      ['--import', tsx, cli, 'serve', '--port', '0', '--json', '--db', join(dir, 'served.db')],
      {
        env: { ...process.env, FACTORY_RENDERER_DIR: join(dir, 'renderer') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    const started = await new Promise<{ port: number; token: string }>((resolve, reject) => {
      let out = ''
      child!.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        const line = out.split('\n').find((l) => l.startsWith('{'))
        if (line) resolve(JSON.parse(line) as { port: number; token: string })
      })
      child!.once('exit', (code) => reject(new Error(`serve exited with ${code}`)))
    })
    const exited = new Promise<string>((resolve) => child!.once('exit', (c) => resolve(`${c}`)))
    for (const attack of [
      { target: '//[' },
      { target: '/', headers: [`Cookie: factory_token_${started.port}=%E0%A4%A`] },
      { method: 'POST', target: '/api/spec/add', body: 'x'.repeat(1024 * 1024 + 1) },
    ]) {
      const reply = await request(started.port, attack)
      expect(reply.status).toBeGreaterThanOrEqual(400)
      expect(reply.status).toBeLessThan(500)
    }
    const alive = await Promise.race([
      request(started.port, {
        target: '/',
        headers: [`Authorization: Bearer ${started.token}`],
      }).then((r) => r.status),
      exited,
    ])
    expect(alive).toBe(200)
  }, 30_000)
})
