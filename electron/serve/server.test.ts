import { request as httpRequest } from 'node:http'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../core/engine'
import { tempDir } from '../core/testing'
import { startServer, type RunningServer } from './server'

let engine: Engine
let server: RunningServer
let cleanup: () => void

beforeEach(async () => {
  const temp = tempDir()
  cleanup = temp.cleanup
  const rendererDir = join(temp.dir, 'renderer')
  mkdirSync(rendererDir)
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Factory Stack</title>')
  engine = createEngine({ dbPath: join(temp.dir, 'ledger.db'), feedIntervalMs: 50 })
  server = await startServer({ engine, rendererDir, port: 0 })
})
afterEach(async () => {
  await server.close()
  engine.close()
  cleanup()
})

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function send(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
      },
      (res) => {
        let body = ''
        res.on('data', (c: Buffer) => (body += c.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

const bearer = (): Record<string, string> => ({ authorization: `Bearer ${server.token}` })
const call = (
  op: string,
  input: unknown,
  headers: Record<string, string> = bearer(),
): Promise<Reply> =>
  send(`/api/${op}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(input),
  })

describe('factory serve', () => {
  it('binds to loopback and prints a URL carrying its token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`)
    expect(server.token.length).toBeGreaterThanOrEqual(32)
  })

  it('answers 401 without the token or with a wrong one, and writes nothing', async () => {
    expect((await send('/')).status).toBe(401)
    expect((await call('spec/add', { title: 'sneaky' }, {})).status).toBe(401)
    expect(
      (await call('spec/add', { title: 'sneaky' }, { authorization: 'Bearer nope' })).status,
    ).toBe(401)
    expect(engine.ledger.latestSeq()).toBe(0)
  })

  it('answers a refused page load with a page in words, and a program with JSON', async () => {
    const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }
    const missing = await send('/?spec=s_3', { headers: html })
    expect(missing.status).toBe(401)
    expect(missing.headers['content-type']).toContain('text/html')
    expect(missing.body).toContain('Open the address the factory printed when it started')
    expect(missing.body).not.toContain('{"ok"')
    expect(missing.headers['content-security-policy']).toContain("script-src 'self'")
    const expired = await send('/', {
      headers: { ...html, cookie: `factory_token_${server.port}=old` },
    })
    expect(expired.status).toBe(401)
    expect(expired.body).toContain('new key')
    const navigated = await send('/', { headers: { 'sec-fetch-mode': 'navigate' } })
    expect(navigated.headers['content-type']).toContain('text/html')
    const rebinding = await send('/', { headers: { ...html, host: `evil.example:${server.port}` } })
    expect(rebinding.status).toBe(403)
    expect(rebinding.body).toContain(`http://127.0.0.1:${server.port}/`)
    expect(rebinding.body).not.toContain('evil.example')
    // Programs (fetch, curl, an EventSource) still read the JSON error.
    for (const reply of [
      await send('/'),
      await send('/api/events', { headers: { accept: 'text/event-stream' } }),
      await call('spec/add', { title: 'x' }, { accept: 'application/json' }),
    ]) {
      expect(reply.status).toBe(401)
      expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'Unauthorized' } })
    }
    expect(engine.ledger.latestSeq()).toBe(0)
  })

  it('tells a tab whether it is still let in', async () => {
    const inside = await send('/api/session', { headers: bearer() })
    expect(inside.status).toBe(200)
    expect(JSON.parse(inside.body)).toEqual({ ok: true, result: { seq: 0 } })
    expect((await send('/api/session')).status).toBe(401)
    expect((await send('/api/session', { headers: { authorization: 'Bearer old' } })).status).toBe(
      401,
    )
  })

  it('answers 403 to a foreign Host or Origin even with the token', async () => {
    const rebinding = await send('/', {
      headers: { ...bearer(), host: `evil.example:${server.port}` },
    })
    expect(rebinding.status).toBe(403)
    expect(rebinding.body).toContain('foreign Host')
    const csrf = await call(
      'spec/add',
      { title: 'csrf' },
      { ...bearer(), origin: 'http://evil.example' },
    )
    expect(csrf.status).toBe(403)
    const otherPort = await call(
      'spec/add',
      { title: 'x' },
      { ...bearer(), origin: `http://127.0.0.1:${server.port + 1}` },
    )
    expect(otherPort.status).toBe(403)
    expect(engine.ledger.latestSeq()).toBe(0)
  })

  it('answers 200 with the token, by header, query or the cookie it sets', async () => {
    const added = await call('spec/add', { title: 'Over HTTP' })
    expect(added.status).toBe(200)
    expect(JSON.parse(added.body)).toMatchObject({
      ok: true,
      result: { id: 's_1', title: 'Over HTTP' },
    })
    const page = await send(`/?token=${server.token}`, {
      headers: { origin: `http://localhost:${server.port}`, host: `localhost:${server.port}` },
    })
    expect(page.status).toBe(302)
    expect(page.headers.location).toBe('/')
    const cookie = String(page.headers['set-cookie']).split(';')[0] ?? ''
    expect(cookie).toMatch(new RegExp(`^factory_token_${server.port}=`))
    const index = await send('/', { headers: { cookie } })
    expect(index.status).toBe(200)
    expect(index.body).toContain('Factory Stack')
    expect(index.headers['content-security-policy']).toContain("script-src 'self'")
  })

  it('rejects malformed input with a specific error and status', async () => {
    const notJson = await send('/api/spec/add', {
      method: 'POST',
      headers: bearer(),
      body: '{title:',
    })
    expect(notJson.status).toBe(400)
    expect(JSON.parse(notJson.body).error.message).toMatch(/not JSON/)
    const invalid = await call('spec/add', { title: '' })
    expect(invalid.status).toBe(400)
    expect(JSON.parse(invalid.body).error).toEqual({
      code: 'InvalidInput',
      message: 'spec/add: title: a title is required',
    })
    expect((await call('spec/get', { id: 's_7' })).status).toBe(404)
    expect((await call('nope/nothing', {})).status).toBe(404)
    const huge = await send('/api/spec/add', {
      method: 'POST',
      headers: bearer(),
      body: 'x'.repeat(2 * 1024 * 1024),
    })
    expect(huge.status).toBe(413)
    expect(JSON.parse(huge.body).error.message).toContain('1048576 bytes')
    expect(engine.ledger.latestSeq()).toBe(0)
  })

  it('makes a retried add safe with the same key in the body', async () => {
    const first = await call('spec/add', { title: 'Over HTTP', key: 'client-7' })
    const retry = await call('spec/add', { title: 'Over HTTP', key: 'client-7' })
    expect(JSON.parse(retry.body).result.id).toBe(JSON.parse(first.body).result.id)
    expect(engine.ledger.latestSeq()).toBe(1)
  })

  it('answers a malformed path with 400 and keeps serving', async () => {
    const reply = await send('/assets/%E0%A4%A', { headers: bearer() })
    expect(reply.status).toBe(400)
    expect(JSON.parse(reply.body).error.message).toMatch(/not valid URL encoding/)
    expect((await send('/', { headers: bearer() })).status).toBe(200)
  })

  it('replays everything a reconnecting browser missed, however much', async () => {
    const missed = 12_000
    engine.ledger.change('test', (c) => {
      for (let i = 0; i < missed; i++) c.append({ type: 'spec.edited', subject: 's_1' })
    })
    const pieces: string[] = []
    let tail = ''
    const connected = (): boolean => tail.includes('"kind":"connected"')
    await new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: server.port,
          path: '/api/events',
          headers: { ...bearer(), 'last-event-id': '0' },
        },
        (res) => {
          res.on('data', (chunk: Buffer) => {
            const piece = chunk.toString()
            pieces.push(piece)
            // Only the newest text can hold the end marker; joining it all each time is quadratic.
            tail = tail.slice(-40) + piece
            if (connected()) {
              req.destroy()
              resolve()
            }
          })
        },
      )
      req.on('error', (e) => (connected() ? resolve() : reject(e)))
      req.end()
    })
    const text = pieces.join('')
    expect(text.match(/^id: /gm)).toHaveLength(missed)
    expect(text).toContain(`{"kind":"connected","seq":${missed}}`)
  })

  it('replays from ?since= for a tab that opened a new stream after a restart', async () => {
    engine.ledger.change('test', (c) => {
      for (let i = 0; i < 5; i++) c.append({ type: 'spec.edited', subject: 's_1' })
    })
    const text = await new Promise<string>((resolve, reject) => {
      let seen = ''
      const req = httpRequest(
        { host: '127.0.0.1', port: server.port, path: '/api/events?since=3', headers: bearer() },
        (res) => {
          res.on('data', (chunk: Buffer) => {
            seen += chunk.toString()
            if (seen.includes('"kind":"connected"')) {
              req.destroy()
              resolve(seen)
            }
          })
        },
      )
      req.on('error', reject)
      req.end()
    })
    expect(text.match(/^id: \d+/gm)).toEqual(['id: 4', 'id: 5'])
    expect(text).toContain('{"kind":"connected","seq":5}')
  })

  it('does not serve files outside the renderer folder', async () => {
    const reply = await send('/..%2f..%2fledger.db', { headers: bearer() })
    expect(reply.body).not.toContain('SQLite')
  })

  it('streams committed events, including ones written by another connection', async () => {
    const received: string[] = []
    const done = new Promise<void>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: server.port, path: '/api/events', headers: bearer() },
        (res) => {
          expect(res.headers['content-type']).toContain('text/event-stream')
          res.on('data', (chunk: Buffer) => {
            for (const line of chunk.toString().split('\n')) {
              if (line.startsWith('data: ')) {
                const pushed = JSON.parse(line.slice(6))
                received.push(
                  pushed.kind === 'ledger' ? pushed.event.type : `connected@${pushed.seq}`,
                )
              }
            }
            if (received.length === 3) {
              req.destroy()
              resolve()
            }
          })
        },
      )
      req.on('error', (e) => (received.length === 3 ? resolve() : reject(e)))
      req.end()
    })
    await new Promise((r) => setTimeout(r, 100))
    await call('agent/add', { name: 'bob', runner: 'claude' })
    const other = createEngine({ dbPath: engine.ledger.path })
    other.call('spec/add', { title: 'from the CLI' }, 'cli')
    other.close()
    await done
    expect(received).toEqual(['connected@0', 'agent.added', 'spec.created'])
  })
})
