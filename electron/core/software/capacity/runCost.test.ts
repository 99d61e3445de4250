// A run's usual cost on a lane, read from its own finished runs as the meter counts them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../engine'
import { tempLedgerPath } from '../../testing'
import { runCost } from './runCost'

const HOUR = 3_600_000
const NOW = Date.UTC(2026, 11, 4, 12, 0)
let engine: Engine
let cleanup: () => void

beforeEach(() => {
  const temp = tempLedgerPath()
  cleanup = temp.cleanup
  engine = createEngine({ dbPath: temp.path, now: () => NOW })
  engine.call('agent/add', { name: 'bob' }, 'test')
  engine.call('agent/add', { name: 'alice' }, 'test')
})
afterEach(() => {
  engine.close()
  cleanup()
})

let runs = 0
interface Spent {
  agent?: string
  endedAt?: number | null
  input?: number
  output?: number
  cacheRead?: number
  cacheWrite?: number
  costMicros?: number
  turns?: number
}

function finished({ agent = 'bob', endedAt = NOW - HOUR, ...spent }: Spent): void {
  const spec = engine.call('spec/add', { title: `Run ${++runs}` }, 'test').id
  engine.ledger.sqlite
    .prepare(
      `INSERT INTO runs (id, spec_id, agent, runner, state, argv, cwd, workspace_kind, run_dir,
         input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_micros, turns,
         created_at, ended_at, updated_at)
       VALUES (?, ?, ?, 'command', ?, '[]', '/', 'folder', '/', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      `r_${runs}`,
      spec,
      agent,
      endedAt === null ? 'running' : 'shipped',
      spent.input ?? 0,
      spent.output ?? 0,
      spent.cacheRead ?? 0,
      spent.cacheWrite ?? 0,
      spent.costMicros ?? 0,
      spent.turns ?? 0,
      (endedAt ?? NOW) - HOUR,
      endedAt,
      endedAt ?? NOW,
    )
}

describe('what a run costs on a lane', () => {
  it('has no estimate but its one run before the lane has finished a run', () => {
    expect(runCost(engine.ledger, 'bob')).toEqual({ runs: 1 })
    finished({ endedAt: null, output: 900_000 }) // still at work: not a cost yet
    expect(runCost(engine.ledger, 'bob')).toEqual({ runs: 1 })
  })

  it('is the median of its finished runs, in each unit, counted as the meter counts tokens', () => {
    // Cache reads do not count against a window (the meter leaves them out), cache writes do.
    finished({ input: 10_000, output: 20_000, cacheRead: 5_000_000, costMicros: 400_000, turns: 4 })
    finished({ input: 30_000, output: 50_000, cacheWrite: 20_000, costMicros: 900_000, turns: 9 })
    finished({ input: 1_000, output: 2_000, costMicros: 100_000, turns: 1 })
    expect(runCost(engine.ledger, 'bob')).toEqual({
      runs: 1,
      tokens: 30_000,
      usd: 400_000,
      messages: 4,
    })
    // An even count takes the middle two's mean; another lane's runs never count.
    finished({ input: 60_000, output: 0, costMicros: 500_000, turns: 6 })
    finished({ agent: 'alice', output: 9_000_000 })
    expect(runCost(engine.ledger, 'bob')).toMatchObject({ tokens: 45_000, messages: 5 })
  })

  it('reads only the lane’s latest ten runs: a lane that got cheaper is judged by today', () => {
    for (let i = 0; i < 10; i++) finished({ output: 500_000, endedAt: NOW - 48 * HOUR + i })
    for (let i = 0; i < 10; i++) finished({ output: 10_000, endedAt: NOW - HOUR + i })
    expect(runCost(engine.ledger, 'bob').tokens).toBe(10_000)
  })
})
