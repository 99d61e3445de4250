import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  describeUseSource,
  mergedUtilization,
  parseQuota,
  reportFor,
  sourcesLeftOut,
  sourceOfUse,
  type QuotaWindow,
  type ReportedWindow,
} from '../../../../shared/quotas'
import { createEngine, type Engine } from '../../engine'
import { tempLedgerPath } from '../../testing'
import { agentWindows } from './quotas'

const HOUR = 3_600_000
let engine: Engine
let cleanup: () => void
let now = 0

beforeEach(() => {
  const temp = tempLedgerPath()
  cleanup = temp.cleanup
  now = Date.UTC(2026, 10, 25, 12)
  engine = createEngine({ dbPath: temp.path, now: () => now })
  engine.call('agent/add', { name: 'bob' }, 'test')
})
afterEach(() => {
  engine.close()
  cleanup()
})

/** A usage delta recorded `hoursAgo` before now, as a run's supervisor records it. */
function used(hoursAgo: number, tokens: number, costMicros = 0, agent = 'bob'): void {
  engine.ledger.sqlite
    .prepare(
      `INSERT INTO usage (run_id, agent, ts, input_tokens, output_tokens, cache_read_tokens,
         cache_write_tokens, cost_micros, turns) VALUES ('r_1', ?, ?, ?, ?, 1000000, 0, ?, 1)`,
    )
    .run(agent, now - hoursAgo * HOUR, tokens / 2, tokens / 2, costMicros)
}

const window = (text: string) => parseQuota(text) as QuotaWindow

describe('quota windows', () => {
  it('parse as WINDOW:UNIT:LIMIT, dollars to exact micro-dollars, and refuse what they cannot read', () => {
    expect(parseQuota('5h:tokens:2000000')).toEqual({
      window: '5h',
      durationMs: 5 * HOUR,
      unit: 'tokens',
      limit: 2_000_000,
    })
    expect(parseQuota('7d:usd:200.5')).toMatchObject({ unit: 'usd', limit: 200_500_000 })
    expect(parseQuota('5h:runs:10')).toMatchObject({ unit: 'runs', limit: 10 })
    expect(parseQuota('5x:tokens:1')).toMatch(/duration like 5h/)
    expect(parseQuota('5h:euros:1')).toMatch(/tokens, usd, messages, runs/)
    expect(parseQuota('5h:tokens:-3')).toMatch(/positive whole number/)
    expect(parseQuota('5h:tokens')).toMatch(/positive/)
  })

  it('count only what was used inside the window: a run straddling its start counts in part', () => {
    used(6, 400_000) // before the 5h window: not counted
    used(4.5, 300_000) // the same run, inside the window
    used(1, 200_000, 1_234_567)
    const [tokens, usd, messages] = agentWindows(
      engine.ledger,
      'bob',
      [window('5h:tokens:1000000'), window('7d:usd:10'), window('5h:messages:4')],
      now,
    )
    expect(tokens).toMatchObject({ used: 500_000, utilization: 0.5 })
    // Frees up when the oldest counted usage (4.5 h ago) leaves the 5 h window.
    expect(tokens!.freesAt).toBe(now + 0.5 * HOUR)
    expect(usd).toMatchObject({ used: 1_234_567, utilization: 0.1234567 })
    expect(messages).toMatchObject({ used: 2, utilization: 0.5 })
  })

  it('count runs started in the window, and nothing of other agents', () => {
    engine.call('agent/add', { name: 'alice' }, 'test')
    used(1, 900_000, 0, 'alice')
    const [tokens, runs] = agentWindows(
      engine.ledger,
      'bob',
      [window('5h:tokens:1000'), window('5h:runs:10')],
      now,
    )
    expect(tokens).toMatchObject({ used: 0, utilization: 0, freesAt: null })
    expect(runs).toMatchObject({ used: 0 })
  })
})

describe('agent capacity', () => {
  it('reports windows, running runs against the cap, and a pause that ends by itself', () => {
    engine.call(
      'agent/edit',
      { name: 'bob', maxConcurrent: 2, plan: 'Claude Max 20x', quotas: ['5h:tokens:1000000'] },
      'test',
    )
    used(1, 250_000)
    engine.call(
      'agent/pause',
      { name: 'bob', until: now + HOUR, reason: 'quota_exhausted' },
      'test',
    )
    const [bob] = engine.call('usage/get', { agent: 'bob' }, 'test')
    expect(bob).toMatchObject({
      agent: 'bob',
      plan: 'Claude Max 20x',
      running: 0,
      maxConcurrent: 2,
      pausedUntil: now + HOUR,
      pausedIndefinitely: false,
      pauseReason: 'quota_exhausted',
      windows: [{ window: '5h', unit: 'tokens', used: 250_000, utilization: 0.25 }],
    })
    now += HOUR + 1
    expect(engine.call('usage/get', { agent: 'bob' }, 'test')[0]).toMatchObject({
      pausedUntil: null,
      pauseReason: null,
    })
  })

  it('pauses until resumed by hand, and says so in the log', () => {
    engine.call('agent/pause', { name: 'bob' }, 'test')
    expect(engine.call('usage/get', {}, 'test')[0]).toMatchObject({
      pausedIndefinitely: true,
      pauseReason: 'paused by hand',
    })
    engine.call('agent/resume', { name: 'bob' }, 'test')
    expect(engine.call('usage/get', {}, 'test')[0]).toMatchObject({
      pausedIndefinitely: false,
      pauseReason: null,
    })
    const types = engine.call('log/list', {}, 'test').map((e) => e.type)
    expect(types.slice(-2)).toEqual(['agent.paused', 'agent.resumed'])
  })
})

describe('the definition of use', () => {
  const report = (utilization: number, fields: Partial<ReportedWindow> = {}): ReportedWindow => ({
    window: 'five_hour',
    durationMs: 5 * HOUR,
    utilization,
    resetsAt: now + 2 * HOUR,
    fetchedAt: now - 60_000,
    ...fields,
  })
  const importLogLine = (hoursAgo: number, tokens: number) =>
    engine.ledger.sqlite
      .prepare(
        `INSERT INTO usage (run_id, agent, ts, input_tokens, output_tokens, cache_write_tokens,
           source, external_id) VALUES (NULL, 'bob', ?, ?, 0, 0, 'claude-logs', ?)`,
      )
      .run(now - hoursAgo * HOUR, tokens, `m_${hoursAgo}`)

  it('adds the runs and Claude Code’s logs, and says which the figure came from', () => {
    used(1, 100_000)
    importLogLine(2, 70_000)
    const [tokens] = agentWindows(engine.ledger, 'bob', [window('5h:tokens:1000000')], now)
    expect(tokens).toMatchObject({ used: 170_000, fromLogs: 70_000, utilization: 0.17 })
    expect(describeUseSource(sourceOfUse(tokens!))).toBe(
      'from this factory’s runs and Claude Code’s logs',
    )
    const [runsOnly] = agentWindows(engine.ledger, 'bob', [window('5h:messages:10')], now)
    expect(describeUseSource(sourceOfUse(runsOnly!))).toBe('from this factory’s runs')
  })

  it('takes the subscription’s report when it is higher, and frees when it resets', () => {
    used(1, 100_000)
    const [raised] = agentWindows(engine.ledger, 'bob', [window('5h:tokens:1000000')], now, [
      report(0.64),
    ])
    expect(raised).toMatchObject({ used: 100_000, utilization: 0.64, freesAt: now + 2 * HOUR })
    expect(describeUseSource(sourceOfUse(raised!))).toBe('from Claude’s usage report')
    // Lower than the count: the count stands, and says so.
    const [counted] = agentWindows(engine.ledger, 'bob', [window('5h:tokens:1000000')], now, [
      report(0.05),
    ])
    expect(counted).toMatchObject({ utilization: 0.1 })
    expect(sourceOfUse(counted!)).toBe('runs')
  })

  it('lets no report speak for another length, a per-model window, or after its reset', () => {
    const quota = window('5h:tokens:1000')
    expect(reportFor([report(0.9, { durationMs: 7 * 24 * HOUR })], quota.durationMs, now)).toBe(
      undefined,
    )
    expect(reportFor([report(0.9, { window: 'seven_day_opus' })], quota.durationMs, now)).toBe(
      undefined,
    )
    expect(reportFor([report(0.9, { resetsAt: now - 1 })], quota.durationMs, now)).toBe(undefined)
    // Nor before it was read: the saturation view's earlier buckets are counted alone.
    expect(reportFor([report(0.9)], quota.durationMs, now - HOUR)).toBe(undefined)
    expect(mergedUtilization(0.2, report(0.9))).toBe(0.9)
    expect(mergedUtilization(0.2, undefined)).toBe(0.2)
  })

  it('says which sources a lane reads, and what its figures leave out', () => {
    const [bob] = engine.call('usage/get', { agent: 'bob' }, 'test')
    expect(bob!.sources).toEqual({ claudeLogs: false, usageReport: false })
    expect(sourcesLeftOut(bob!.sources)).toBe(
      'Claude Code’s logs and Claude’s usage report are off for this lane, so work done outside this factory does not count',
    )
    expect(sourcesLeftOut({ claudeLogs: true, usageReport: true })).toBeNull()
  })
})
