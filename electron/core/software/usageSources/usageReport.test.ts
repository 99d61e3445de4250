// The subscription's usage report against a local replay of Anthropic's OAuth usage endpoint: what
// is sent, what is stored, every way it fails, and that the token goes nowhere but the header.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { describeWindow, type UsageSourceSync } from '../../../../shared/quotas'
import { createEngine, type Engine } from '../../engine'
import { tempDir } from '../../testing'
import { RATE_LIMITED, reportAnswer, startReplayServer, type ReplayServer } from './replayServer'
import { syncUsageSources, UsageSourceWatch } from './sync'
import { fetchUsageReport, storeUsageReport } from './usageReport'

const TOKEN = 'sk-ant-oat01-test-token-0123456789'
const NOW = Date.UTC(2026, 10, 25, 12)
const HOUR = 3_600_000

let engine: Engine
let server: ReplayServer
let dir: string
let credentials: string
let cleanup: () => void

beforeEach(async () => {
  ;({ dir, cleanup } = tempDir())
  credentials = join(dir, '.credentials.json')
  writeCredentials({ expiresAt: NOW + HOUR })
  server = await startReplayServer(TOKEN)
  engine = createEngine({ dbPath: join(dir, 'ledger.db'), now: () => NOW })
  engine.call(
    'agent/add',
    {
      name: 'bob',
      quotas: ['5h:tokens:1000000', '7d:usd:200'],
      usageSources: {
        usageReport: { enabled: true, baseUrl: server.baseUrl, credentialsFile: credentials },
      },
    },
    'test',
  )
})
afterEach(async () => {
  engine.close()
  await server.close()
  cleanup()
})

/** Claude Code's credentials file (openusage docs/providers/claude.md). */
function writeCredentials(oauth: Record<string, unknown>): void {
  writeFileSync(
    credentials,
    JSON.stringify({
      claudeAiOauth: {
        accessToken: TOKEN,
        refreshToken: 'sk-ant-ort01-refresh',
        scopes: ['user:inference', 'user:profile'],
        subscriptionType: 'max',
        ...oauth,
      },
    }),
    { mode: 0o600 },
  )
}

async function sync(options: { timeoutMs?: number } = {}): Promise<UsageSourceSync> {
  const [result] = await syncUsageSources(engine.ledger, { now: NOW, only: 'bob', ...options })
  return result!
}

const stored = () =>
  engine.ledger.sqlite
    .prepare(
      'SELECT window, duration_ms, utilization, resets_at FROM usage_reports ORDER BY window',
    )
    .all()

describe('the usage report', () => {
  it('is asked for with the token and the beta header, and stored per window as 0..1', async () => {
    const result = await sync()
    expect(result).toMatchObject({ agent: 'bob', source: 'usage-report', error: null })
    expect(server.requests).toHaveLength(1)
    expect(server.requests[0]!.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      'anthropic-beta': 'oauth-2025-04-20',
    })
    // Null windows (opus here) and the ones it does not know (extra_usage) are left out.
    expect(stored()).toEqual([
      {
        window: 'five_hour',
        duration_ms: 5 * HOUR,
        utilization: 0.24,
        resets_at: Date.parse('2026-11-25T15:59:59.600Z'),
      },
      {
        window: 'seven_day',
        duration_ms: 7 * 24 * HOUR,
        utilization: 0.36,
        resets_at: Date.parse('2026-11-30T06:59:59.600Z'),
      },
      {
        window: 'seven_day_sonnet',
        duration_ms: 7 * 24 * HOUR,
        utilization: 0.01,
        resets_at: Date.parse('2026-11-30T14:59:59.600Z'),
      },
    ])
  })

  it('replaces the stored report: a window the new one no longer has goes', async () => {
    server.answer = {
      status: 200,
      json: reportAnswer({ seven_day_opus: { utilization: 50, resets_at: null } }),
    }
    await sync()
    expect(stored().map((row) => (row as { window: string }).window)).toContain('seven_day_opus')
    server.answer = { status: 200, json: reportAnswer() }
    await sync()
    expect(stored().map((row) => (row as { window: string }).window)).not.toContain(
      'seven_day_opus',
    )
  })

  it('is off by default: an agent that did not switch it on sends nothing', async () => {
    engine.call('agent/add', { name: 'alice' }, 'test')
    expect(await syncUsageSources(engine.ledger, { now: NOW, only: 'alice' })).toEqual([])
    engine.call(
      'agent/edit',
      {
        name: 'bob',
        usageSources: {
          usageReport: { enabled: false, baseUrl: server.baseUrl, credentialsFile: credentials },
        },
      },
      'test',
    )
    expect(await syncUsageSources(engine.ledger, { now: NOW })).toEqual([])
    expect(server.requests).toHaveLength(0)
  })

  describe('says clearly what went wrong, and keeps the token out of it', () => {
    const errors: string[] = []
    afterEach(() => {
      for (const error of errors) expect(error).not.toContain(TOKEN.slice(12))
      errors.length = 0
    })
    const failed = async (pattern: RegExp, options: { timeoutMs?: number } = {}) => {
      const result = await sync(options)
      errors.push(String(result.error))
      expect(result.error).toMatch(pattern)
      expect(stored()).toEqual([])
    }

    it('a refused login (401 and 403)', async () => {
      server.answer = {
        status: 401,
        json: { type: 'error', error: { type: 'authentication_error', message: TOKEN } },
      }
      await failed(/refused the login \(401\): run claude once to renew it/)
      server.answer = { status: 403, json: { type: 'error' } }
      await failed(/\(403\): the token lacks the user:profile scope/)
    })

    it('rate limiting (429)', async () => {
      server.answer = RATE_LIMITED
      await failed(/is rate limiting usage reports \(429\)/)
    })

    it('an answer that is not JSON, or not a usage report', async () => {
      server.answer = { status: 200, text: `<html>${TOKEN}</html>` }
      await failed(/answered something that is not JSON/)
      server.answer = { status: 200, json: { five_hour: { utilization: 'high' }, seven_day: null } }
      await failed(/unknown shape \(five_hour\.utilization\)/)
      server.answer = { status: 200, json: [1, 2] }
      await failed(/unknown shape/)
    })

    it('an endpoint that does not answer in time', async () => {
      server.answer = 'hang'
      await failed(/did not answer within 0\.2s/, { timeoutMs: 200 })
    })

    it('an endpoint that cannot be reached', async () => {
      const gone = server.baseUrl
      await server.close()
      server = await startReplayServer(TOKEN)
      engine.call(
        'agent/edit',
        {
          name: 'bob',
          usageSources: {
            usageReport: { enabled: true, baseUrl: gone, credentialsFile: credentials },
          },
        },
        'test',
      )
      await failed(/could not reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/)
    })

    it('a missing, unreadable, foreign or expired credentials file, without asking', async () => {
      writeCredentials({ expiresAt: NOW - 1000 })
      await failed(/the Claude login in .*\.credentials\.json expired at 2026-11-25T11:59:59/)
      writeFileSync(credentials, `{"claudeAiOauth":{"accessToken":"${TOKEN}"`)
      await failed(/is not JSON$/)
      writeFileSync(credentials, JSON.stringify({ apiKey: TOKEN }))
      await failed(/has no claudeAiOauth\.accessToken/)
      if (process.getuid?.() !== 0) {
        writeCredentials({})
        chmodSync(credentials, 0o000)
        await failed(/cannot read the credentials file .* \(EACCES\)/)
        chmodSync(credentials, 0o600)
      }
      engine.call(
        'agent/edit',
        {
          name: 'bob',
          usageSources: {
            usageReport: {
              enabled: true,
              baseUrl: server.baseUrl,
              credentialsFile: join(dir, 'none.json'),
            },
          },
        },
        'test',
      )
      await failed(/no credentials file at .*none\.json/)
      expect(server.requests).toHaveLength(0)
    })

    it('a base URL that would send the token in clear', async () => {
      await expect(
        fetchUsageReport({ baseUrl: 'http://example.com', credentialsFile: credentials, now: NOW }),
      ).rejects.toThrow(/must use https \(plain http only to 127\.0\.0\.1 or localhost\)/)
    })
  })

  it('never puts the token into the ledger, its events or its files', async () => {
    await sync()
    server.answer = { status: 401, json: { error: { message: TOKEN } } }
    await sync()
    const events = JSON.stringify(engine.call('log/list', { limit: 1000 }, 'test'))
    expect(events).not.toContain(TOKEN)
    engine.ledger.sqlite.pragma('wal_checkpoint(TRUNCATE)')
    expect(readFileSync(join(dir, 'ledger.db')).includes(TOKEN)).toBe(false)
    expect(stored()).not.toEqual([])
  })

  it('is read in the background, less often after a refusal', async () => {
    let now = NOW
    const watch = new UsageSourceWatch(engine.ledger, {
      now: () => now,
      reportEveryMs: 5 * 60_000,
    })
    await watch.tick()
    expect(server.requests).toHaveLength(1)
    now += 60_000
    await watch.tick() // a minute later: not due yet
    expect(server.requests).toHaveLength(1)
    now += 4 * 60_000
    server.answer = RATE_LIMITED
    await watch.tick() // due: refused
    expect(server.requests).toHaveLength(2)
    now += 5 * 60_000
    await watch.tick() // after a refusal it waits twice as long
    expect(server.requests).toHaveLength(2)
    now += 5 * 60_000
    server.answer = { status: 200, json: reportAnswer() }
    await watch.tick()
    expect(server.requests).toHaveLength(3)
    watch.stop()
    now += 60 * 60_000
    await watch.tick() // stopped: nothing more
    expect(server.requests).toHaveLength(3)
  })
})

describe('quota windows with the report', () => {
  /** Local use: `tokens` in the last hour. */
  const used = (tokens: number) =>
    engine.ledger.sqlite
      .prepare(
        `INSERT INTO usage (run_id, agent, ts, input_tokens, output_tokens) VALUES ('r_1', 'bob', ?, ?, 0)`,
      )
      .run(NOW - HOUR, tokens)
  const report = (windows: Parameters<typeof storeUsageReport>[2]) =>
    storeUsageReport(engine.ledger, 'bob', windows)
  const fiveHour = (utilization: number, resetsAt: number | null = NOW + 2 * HOUR) => ({
    window: 'five_hour',
    durationMs: 5 * HOUR,
    utilization,
    resetsAt,
    fetchedAt: NOW - 60_000,
  })
  const usage = () => engine.call('usage/get', { agent: 'bob' }, 'test')[0]!

  it('take the higher of the ledger and the report, and free when the report resets', () => {
    used(100_000) // 10% of the 5h window here
    report([fiveHour(0.85)])
    const [tokens, usd] = usage().windows
    expect(tokens).toMatchObject({
      used: 100_000,
      utilization: 0.85,
      freesAt: NOW + 2 * HOUR,
      reported: { window: 'five_hour', utilization: 0.85 },
    })
    expect(describeWindow(tokens!)).toBe(
      '5h tokens: 100k of 1M tokens (10%); the subscription reports 85%',
    )
    // The 7d window has no report of its length here.
    expect(usd).not.toHaveProperty('reported')
  })

  it('keep the ledger figure when it is the higher', () => {
    used(600_000)
    report([fiveHour(0.2)])
    const [tokens] = usage().windows
    expect(tokens).toMatchObject({ utilization: 0.6, freesAt: NOW - HOUR + 5 * HOUR })
    expect(tokens!.reported).toMatchObject({ utilization: 0.2 })
    expect(describeWindow(tokens!)).toBe(
      '5h tokens: 600k of 1M tokens (60%); the subscription reports 20%',
    )
  })

  it('ignore a report whose window has reset since', () => {
    report([fiveHour(0.95, NOW - 1)])
    expect(usage().windows[0]).toMatchObject({ utilization: 0 })
    expect(usage().reports).toBeUndefined()
  })

  it('show every reported window, and let only the whole-subscription ones raise a quota', () => {
    report([
      fiveHour(0.3),
      {
        window: 'seven_day_opus',
        durationMs: 7 * 24 * HOUR,
        utilization: 1,
        resetsAt: NOW + 24 * HOUR,
        fetchedAt: NOW,
      },
    ])
    const current = usage()
    expect(current.reports?.map((r) => r.window)).toEqual(['five_hour', 'seven_day_opus'])
    // A spent Opus week does not hold the 7d window: other models still run.
    expect(current.windows[1]).toMatchObject({ unit: 'usd', utilization: 0 })
  })
})
