import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../engine'
import { tempLedgerPath } from '../../testing'
import { readSaturation } from './saturation'

const MINUTE = 60_000
const HOUR = 3_600_000
const DAY = 86_400_000
let engine: Engine
let cleanup: () => void
// Half past noon: the last hour bucket (12:00–13:00) is half over.
const NOW = Date.UTC(2026, 10, 25, 12, 30)

beforeEach(() => {
  const temp = tempLedgerPath()
  cleanup = temp.cleanup
  engine = createEngine({ dbPath: temp.path, now: () => NOW })
})
afterEach(() => {
  engine.close()
  cleanup()
})

function addAgent(name: string, ...quotas: string[]): void {
  engine.call('agent/add', { name, quotas }, 'test')
}

/** A usage delta of `tokens` (half in, half out) at `ts`, as a supervisor records one. */
function used(agent: string, ts: number, tokens: number, costMicros = 0, turns = 0): void {
  engine.ledger.sqlite
    .prepare(
      `INSERT INTO usage (run_id, agent, ts, input_tokens, output_tokens, cache_read_tokens,
         cache_write_tokens, cost_micros, turns) VALUES ('r_1', ?, ?, ?, ?, 5000000, 0, ?, ?)`,
    )
    .run(agent, ts, tokens / 2, tokens / 2, costMicros, turns)
}

const read = (days = 1, bucketMs = HOUR, now = NOW) =>
  readSaturation(engine.ledger, { now, days, bucketMs })
const at = (hour: number, minute = 0) => Date.UTC(2026, 10, 25, hour, minute)

describe('saturation', () => {
  it('is each window’s use over its rolling length at the end of every hour, as the lane meter reads', () => {
    addAgent('bob', '5h:tokens:1000000')
    used('bob', at(9, 10), 100_000)
    used('bob', at(9, 50), 200_000)
    used('bob', at(11, 0), 50_000)
    used('bob', at(12, 10), 50_000)
    const saturation = read()
    // The chart fits the data: it starts at the hour of bob's first use, not a day before.
    expect(saturation.dataFrom).toBe(at(9, 10))
    expect(saturation.from).toBe(at(9))
    expect(saturation.to).toBe(at(13))
    expect(saturation.timestamps).toEqual([at(9), at(10), at(11), at(12)])
    const bob = saturation.agents[0]!
    // At 10:00 the 5h window holds 300k (30%), at 11:00 too, at 12:00 350k, and now (12:30) 400k.
    expect(bob.utilization!.slice(-4)).toEqual([0.3, 0.3, 0.35, 0.4])
    expect(bob.used).toEqual({ tokens: 400_000, usd: 0, messages: 0, runs: 0 })
    expect(saturation.portfolio.slice(-4)).toEqual([0.3, 0.3, 0.35, 0.4])
    expect(saturation.idle.slice(-4)).toEqual([0.7, 0.7, 0.65, 0.6])
  })

  it('lets use leave the window after its length, and over a limit reads above 100%', () => {
    addAgent('bob', '1h:tokens:100000')
    used('bob', at(8, 30), 150_000)
    const bob = read().agents[0]!.utilization!
    // 09:00 holds the 08:30 use (150%); by 10:00 it has left the hour-long window.
    expect(bob.slice(-5)).toEqual([1.5, 0, 0, 0, 0])
  })

  it('takes the binding window: the highest utilization of an agent’s windows', () => {
    addAgent('bob', '5h:tokens:1000000', '5h:usd:5')
    used('bob', at(11, 5), 50_000, 4_000_000) // $4 of $5: 80%, tokens 5%
    used('bob', at(12, 0), 950_000, 0) // tokens now 100%
    expect(read().agents[0]!.utilization!.slice(-2)).toEqual([0.8, 1])
  })

  it('counts runs by when they were created, for a runs window', () => {
    addAgent('bob', '5h:runs:10')
    const spec = engine.call('spec/add', { title: 'x' }, 'test').id
    const insert = engine.ledger.sqlite.prepare(
      `INSERT INTO runs (id, spec_id, agent, runner, state, argv, cwd, workspace_kind, run_dir,
         created_at, updated_at) VALUES (?, ?, 'bob', 'command', 'done', '[]', '/', 'folder', '/', ?, ?)`,
    )
    for (const [id, ts] of [
      ['r_1', at(11, 1)],
      ['r_2', at(11, 59)],
      ['r_3', at(12, 20)],
    ] as const) {
      insert.run(id, spec, ts, ts)
    }
    used('bob', at(11, 0), 1) // capacity from 11:00
    const bob = read().agents[0]!
    expect(bob.utilization!.slice(-2)).toEqual([0.2, 0.3])
    expect(bob.used.runs).toBe(3)
  })

  it('shows an agent without quota windows by its usage only, and leaves it out of the portfolio', () => {
    addAgent('bob', '5h:tokens:1000000')
    addAgent('carol')
    used('bob', at(11, 0), 500_000)
    used('carol', at(11, 0), 7_000_000, 2_500_000, 12)
    const saturation = read()
    const carol = saturation.agents.find((a) => a.agent === 'carol')!
    expect(carol).toMatchObject({ utilization: null, quotas: [] })
    expect(carol.used).toEqual({ tokens: 7_000_000, usd: 2_500_000, messages: 12, runs: 0 })
    expect(saturation.portfolio.at(-2)).toBe(0.5)
    expect(saturation.week.agents.map((a) => a.agent)).toEqual(['bob'])
  })

  it('puts usage stamped on a bucket’s first millisecond in that bucket, not the one before', () => {
    addAgent('bob', '5h:tokens:1000000')
    used('bob', at(10) - 1, 20_000)
    used('bob', at(10), 40_000)
    // The 09:00 hour ends holding the first only; the 10:00 hour both.
    expect(read().agents[0]!.utilization!.slice(-4, -2)).toEqual([0.02, 0.06])
    expect(read(1, HOUR, at(9, 30) + DAY).agents[0]!.used.tokens).toBe(40_000)
    const fine = read(1, 5 * MINUTE)
    // From the 09:55 bucket, where the first use is, to the one holding 12:30.
    expect(fine.timestamps).toHaveLength(32)
    expect(fine.agents[0]!.utilization!.slice(0, 2)).toEqual([0.02, 0.06])
  })

  it('says where the last 7 days went, per agent and window: used, idle, blocked', () => {
    // 2M tokens per 5h, $100 per 7d.
    addAgent('alice', '5h:tokens:2000000', '7d:usd:100')
    addAgent('bob', '5h:tokens:1000000')
    used('alice', NOW - 8 * DAY, 9_000_000) // before the week: capacity reaches back, use does not
    used('alice', NOW - 2 * DAY, 1_000_000, 60_000_000)
    used('bob', NOW - DAY, 1_000_000) // bob's capacity starts then
    const { week } = read()
    expect(week.to).toBe(NOW)
    const alice = week.agents.find((a) => a.agent === 'alice')!
    const five = alice.windows[0]!
    const seven = alice.windows[1]!
    // The 5h meter read 50% for 5 hours of the 168, and 0% the rest of the week.
    expect(five).toMatchObject({ capacity: 67_200_000, used: 1_000_000 })
    expect(five.usedShare).toBeCloseTo((0.5 * 5) / 168, 3)
    expect(five.idleShare).toBeCloseTo(1 - (0.5 * 5) / 168, 3)
    // The 7d meter read 0% for 5 days and 60% for the last 2: its room, averaged, is 82.9%.
    expect(seven.usedShare).toBeCloseTo((0.6 * 2) / 7, 3)
    expect(seven.idleShare).toBeCloseTo(1 - (0.6 * 2) / 7, 3)
    expect(seven.idle).toBe(Math.round(100_000_000 * seven.idleShare))
    // The dollars bound alice harder than the tokens.
    expect(alice.binding.window).toBe('7d')
    expect(alice.blockedShare).toBe(0)
    expect(alice.usedShare + alice.idleShare).toBeCloseTo(1, 10)
    // bob's meter said 100% for the 5 hours after his use, 0% for the other 19 of his day.
    const bob = week.agents.find((a) => a.agent === 'bob')!
    expect(bob.since).toBe(NOW - DAY)
    expect(bob.idleShare).toBeCloseTo(19 / 24, 3)
    expect(week.idleShare).toBeCloseTo((alice.idleShare + bob.idleShare) / 2, 10)
    expect(week.blockedShare).toBe(0)
  })

  it('counts a held or paused lane’s unused capacity as blocked, never idle', () => {
    addAgent('alice', '5h:tokens:1000000')
    addAgent('bob', '5h:tokens:1000000')
    used('alice', at(6), 200_000)
    used('bob', at(6), 200_000)
    // At 12:30 alice's subscription holds her until 18:00; bob stays free.
    engine.ledger.change('test', (change) =>
      change.append({
        type: 'agent.paused',
        subject: 'agent:alice',
        payload: { until: at(18), reason: 'quota_exhausted: usage limit reached' },
      }),
    )
    const later = readSaturation(engine.ledger, { now: at(14, 30), days: 1, bucketMs: HOUR })
    const alice = later.agents.find((a) => a.agent === 'alice')!
    const bob = later.agents.find((a) => a.agent === 'bob')!
    expect(alice.holds).toEqual([
      {
        from: NOW,
        to: at(14, 30),
        kind: 'paused',
        reason: 'quota_exhausted: usage limit reached',
        current: true,
      },
    ])
    // The 12:00 hour half held, 13:00 and 14:00 wholly; bob never.
    expect(alice.blocked!.slice(-3)).toEqual([0.5, 1, 1])
    expect(bob.blocked!.every((b) => b === 0)).toBe(true)
    const week = new Map(later.week.agents.map((a) => [a.agent, a]))
    // Held for two hours of its week (from 06:00, when its capacity began): blocked, not idle.
    expect(week.get('alice')!.blockedMs).toBe(2 * HOUR)
    expect(week.get('alice')!.idleShare).toBeLessThan(week.get('bob')!.idleShare)
    expect(week.get('bob')!.blockedShare).toBe(0)
    expect(later.week.blockedShare).toBeGreaterThan(0)
  })

  it('counts the room of a lane with every run slot taken as blocked by its cap, not idle', () => {
    addAgent('bob', '5h:tokens:1000000') // one run at a time
    addAgent('alice', '5h:tokens:1000000')
    used('bob', at(6), 100_000)
    used('alice', at(6), 100_000)
    const spec = engine.call('spec/add', { title: 'x' }, 'test').id
    const insert = engine.ledger.sqlite.prepare(
      `INSERT INTO runs (id, spec_id, agent, runner, state, argv, cwd, workspace_kind, run_dir,
         created_at, ended_at, updated_at) VALUES (?, ?, ?, 'command', ?, '[]', '/', 'folder', '/', ?, ?, ?)`,
    )
    // bob: one run 08:00–10:00 (done), one at work since 11:30; alice: none.
    insert.run('r_1', spec, 'bob', 'done', at(8), at(10), at(10))
    insert.run('r_2', spec, 'bob', 'running', at(11, 30), null, at(11, 30))
    const saturation = read()
    const bob = saturation.week.agents.find((a) => a.agent === 'bob')!
    const alice = saturation.week.agents.find((a) => a.agent === 'alice')!
    expect(bob.holds).toEqual([
      { from: at(8), to: at(10), kind: 'cap', reason: null, current: false },
      { from: at(11, 30), to: NOW, kind: 'cap', reason: null, current: true },
    ])
    expect(bob.blockedMs).toBe(3 * HOUR)
    expect(alice.blockedMs).toBe(0)
    // Both used 10% all along; bob's room during his runs was not waste more specs could fill.
    expect(bob.usedShare).toBeCloseTo(alice.usedShare, 10)
    expect(alice.idleShare - bob.idleShare).toBeCloseTo(bob.blockedShare, 10)
    // 08:00–10:00 at 10% used; from 11:00 the 06:00 use has left the 5h window: 11:30–12:30 at 0%.
    expect(bob.blockedShare).toBeCloseTo((0.9 * 2 + 1 * 1) / 6.5, 10)
  })

  it('reads holds from the lane’s events: paused, resumed, disabled', () => {
    addAgent('alice', '5h:tokens:1000000')
    used('alice', at(9), 100_000)
    engine.call('agent/pause', { name: 'alice', until: at(18), reason: 'holiday' }, 'test')
    const held = read()
    const alice = held.agents[0]!
    expect(alice.holds).toMatchObject([{ from: NOW, to: NOW, kind: 'paused', current: true }])
    // Half an hour later, half of the 12:00 hour was blocked: its unused half counts as blocked.
    const later = read(1, HOUR, at(13))
    const last = later.agents[0]!
    expect(last.blocked!.at(-2)).toBeCloseTo(0.5, 4)
    expect(last.utilization!.at(-2)).toBe(0.1)
    // The portfolio's unused 90% at 13:00 is split: half idle (before the hold), half blocked.
    expect(later.idle.at(-2)).toBeCloseTo(0.45, 4)
    expect(later.blocked.at(-2)).toBeCloseTo(0.45, 4)
    // The week: the lane was held for the half hour since the pause.
    const week = later.week.agents[0]!
    expect(week.blockedMs).toBe(30 * MINUTE)
    expect(week.holds).toMatchObject([{ kind: 'paused', reason: 'holiday', current: true }])
    expect(week.usedShare + week.idleShare + week.blockedShare).toBeCloseTo(1, 10)
    expect(week.blockedShare).toBeGreaterThan(0)
  })

  it('merges the subscription’s report where it speaks, and says which buckets it gave', () => {
    addAgent('alice', '5h:tokens:1000000')
    used('alice', at(9), 100_000) // 10% counted
    engine.ledger.sqlite
      .prepare(
        `INSERT INTO usage_reports (agent, window, duration_ms, utilization, resets_at, fetched_at)
         VALUES ('alice', 'five_hour', ?, 0.64, ?, ?)`,
      )
      .run(5 * HOUR, at(14), at(11, 45))
    const alice = read().agents[0]!
    // The 09:00 and 10:00 hours end before the report was read (11:45): counted; then 64%.
    expect(alice.utilization).toEqual([0.1, 0.1, 0.64, 0.64])
    expect(alice.byReport).toEqual([2, 3])
    // The meter reads the same figure now.
    const [meter] = engine.call('usage/get', { agent: 'alice' }, 'test')
    expect(meter!.windows[0]!.utilization).toBe(0.64)
    expect(meter!.sources).toEqual({ claudeLogs: false, usageReport: false })
  })

  it('counts usage added after a read on the next one, old timestamps (imports) included', () => {
    addAgent('bob', '5h:tokens:1000000')
    used('bob', at(11, 0), 100_000)
    expect(read().agents[0]!.used.tokens).toBe(100_000)
    used('bob', at(12, 0), 20_000)
    used('bob', NOW - 3 * DAY, 30_000) // an imported log line from days ago
    expect(read(7).agents[0]!.used.tokens).toBe(150_000)
    // A clock set back recounts from scratch instead of reading slots it dropped.
    expect(read(1, HOUR, NOW - 40 * DAY).agents[0]!.used.tokens).toBe(0)
    expect(read(7).agents[0]!.used.tokens).toBe(150_000)
  })

  it('follows usage rows raised or removed (a later, fuller count of an imported message)', () => {
    addAgent('bob', '5h:tokens:1000000')
    used('bob', at(11, 0), 100_000)
    used('bob', at(11, 20), 10_000)
    expect(read().agents[0]!.used.tokens).toBe(110_000)
    engine.ledger.sqlite
      .prepare('UPDATE usage SET output_tokens = output_tokens + 40000 WHERE ts = ?')
      .run(at(11, 20))
    expect(read().agents[0]!.used.tokens).toBe(150_000)
    // Moved to another bucket (a corrected timestamp): counted once, in the new place.
    engine.ledger.sqlite.prepare('UPDATE usage SET ts = ? WHERE ts = ?').run(at(12, 5), at(11, 20))
    const moved = read().agents[0]!
    expect(moved.used.tokens).toBe(150_000)
    expect(moved.utilization!.slice(-2)).toEqual([0.1, 0.15])
    engine.ledger.sqlite.prepare('DELETE FROM usage WHERE ts = ?').run(at(12, 5))
    expect(read().agents[0]!.used.tokens).toBe(100_000)
  })

  it('is the usage/saturation operation, 30 days of 5-minute buckets at most', () => {
    addAgent('bob', '5h:tokens:1000000')
    used('bob', NOW - 40 * DAY, 1)
    const result = engine.call('usage/saturation', { days: 30, bucket: '5min' }, 'test')
    expect(result.timestamps).toHaveLength(30 * 288)
    expect(result.bucketMs).toBe(5 * MINUTE)
    expect(engine.call('usage/saturation', {}, 'test').timestamps).toHaveLength(7 * 24)
    expect(() =>
      readSaturation(engine.ledger, { now: NOW, days: 7, bucketMs: 7 * MINUTE }),
    ).toThrow(/multiple of 5 minutes/)
  })
})
