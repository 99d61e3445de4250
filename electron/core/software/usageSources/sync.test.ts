// `usage/sync`: every switched-on source of every agent, as an asynchronous operation that each
// host awaits (in process, and over the HTTP host), with one summary line per agent and source.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../../serve/server'
import { createEngine, type Engine } from '../../engine'
import { tempDir } from '../../testing'
import { startReplayServer, type ReplayServer } from './replayServer'

const TOKEN = 'sk-ant-oat01-sync-test'
const NOW = Date.UTC(2026, 10, 25, 12)

let engine: Engine
let replay: ReplayServer
let dir: string
let projects: string
let credentials: string
let cleanup: () => void

beforeEach(async () => {
  ;({ dir, cleanup } = tempDir())
  projects = join(dir, 'projects')
  mkdirSync(join(projects, '-home-me-site'), { recursive: true })
  credentials = join(dir, 'credentials.json')
  writeFileSync(credentials, JSON.stringify({ claudeAiOauth: { accessToken: TOKEN } }))
  replay = await startReplayServer(TOKEN)
  // A clock that moves: agents added one after the other are told apart by their creation time.
  let clock = NOW
  engine = createEngine({ dbPath: join(dir, 'ledger.db'), now: () => clock++ })
  engine.call(
    'agent/add',
    {
      name: 'bob',
      quotas: ['5h:tokens:1000'],
      usageSources: {
        claudeLogs: { enabled: true, dir: projects },
        usageReport: { enabled: true, baseUrl: replay.baseUrl, credentialsFile: credentials },
      },
    },
    'test',
  )
})
afterEach(async () => {
  engine.close()
  await replay.close()
  cleanup()
})

function writeSession(id: string, output: number): void {
  writeFileSync(
    join(projects, '-home-me-site', `${id}.jsonl`),
    JSON.stringify({
      cwd: '/home/me/site',
      sessionId: id,
      message: {
        id: `msg_${id}`,
        role: 'assistant',
        model: 'claude-sonnet-4-20250514',
        usage: { input_tokens: 0, output_tokens: output },
      },
      requestId: `req_${id}`,
      type: 'assistant',
      uuid: `u_${id}`,
      timestamp: new Date(NOW - 60_000).toISOString(),
    }) + '\n',
  )
}

describe('usage/sync', () => {
  it('reads each switched-on source and answers one summary per agent and source', async () => {
    writeSession('s1', 300)
    const results = await engine.call('usage/sync', {}, 'test')
    expect(results).toEqual([
      {
        agent: 'bob',
        source: 'claude-logs',
        rows: 1,
        updated: 0,
        files: 1,
        skipped: { malformed: 0, tooLong: 0, factoryRuns: 0 },
        error: null,
      },
      {
        agent: 'bob',
        source: 'usage-report',
        windows: expect.arrayContaining([expect.objectContaining({ window: 'five_hour' })]),
        error: null,
      },
    ])
    // The report's 24% is below the 30% counted here, so the ledger's figure stands.
    const [usage] = engine.call('usage/get', { agent: 'bob' }, 'test')
    expect(usage!.windows[0]).toMatchObject({ used: 300, utilization: 0.3 })
    expect(usage!.reports?.map((r) => r.window)).toContain('five_hour')
  })

  it('answers through invoke as a promise of an envelope, refusals included', async () => {
    const answer = engine.invoke('usage/sync', { agent: 'nobody' }, 'test')
    expect(answer).toBeInstanceOf(Promise)
    expect(await answer).toEqual({
      ok: false,
      error: {
        code: 'AgentNotFound',
        message: 'no agent named "nobody" (see: factory agent list)',
      },
    })
    await expect(engine.call('usage/sync', { agent: 'nobody' }, 'test')).rejects.toThrow(
      /no agent named "nobody"/,
    )
  })

  it('counts one Claude folder for one agent only', async () => {
    engine.call(
      'agent/add',
      { name: 'alice', usageSources: { claudeLogs: { enabled: true, dir: projects } } },
      'test',
    )
    writeSession('s2', 10)
    const results = await engine.call('usage/sync', {}, 'test')
    expect(results.find((r) => r.agent === 'alice')?.error).toMatch(
      /is bob's Claude folder already: one account's logs count for one agent/,
    )
    expect(results.find((r) => r.agent === 'bob' && r.source === 'claude-logs')).toMatchObject({
      rows: 1,
    })
  })

  it('two syncs at once count nothing twice', async () => {
    writeSession('s3', 10)
    writeSession('s4', 20)
    const [first, second] = await Promise.all([
      engine.call('usage/sync', { agent: 'bob' }, 'test'),
      engine.call('usage/sync', { agent: 'bob' }, 'test'),
    ])
    const rows = (results: typeof first) =>
      results.reduce((sum, r) => sum + (r.source === 'claude-logs' ? r.rows : 0), 0)
    expect(rows(first) + rows(second)).toBe(2)
    expect(rows(second)).toBe(0)
  })
})

describe('the background sync of a long-lived host', () => {
  it('imports without being asked', async () => {
    writeSession('s6', 7)
    const imported = new Promise<Record<string, unknown>>((done) => {
      engine.subscribe((event) => {
        if (event.type === 'usage.imported') done(event.payload)
      })
    })
    engine.watchUsageSources()
    engine.watchUsageSources() // a second call starts nothing more
    expect(await imported).toMatchObject({ agent: 'bob', rows: 1 })
  })
})

describe('usage/sync over the HTTP host', () => {
  let server: RunningServer
  beforeEach(async () => {
    const rendererDir = join(dir, 'renderer')
    mkdirSync(rendererDir)
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Factory Stack</title>')
    server = await startServer({ engine, rendererDir, port: 0 })
  })
  afterEach(() => server.close())

  it('answers the awaited result, not an empty promise', async () => {
    writeSession('s5', 42)
    const response = await fetch(`http://127.0.0.1:${server.port}/api/usage/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ agent: 'bob' }),
    })
    expect(response.status).toBe(200)
    const envelope = (await response.json()) as { ok: boolean; result: { source: string }[] }
    expect(envelope.ok).toBe(true)
    expect(envelope.result.map((r) => r.source)).toEqual(['claude-logs', 'usage-report'])
  })
})
