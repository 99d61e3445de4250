// Allocator rounds on a real ledger with real runs: choices recorded as events with their reasons,
// chaining (a spec starts by itself once what it depends on ships), the auto-dispatch switch, the
// global cap, and no retry storm against an exhausted agent while hours pass.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { describeRound } from '../../../../shared/allocation'
import type { SpecId } from '../../../../shared/domain'
import { formatClock } from '../../../../shared/format'
import type { Engine } from '../../engine'
import { fixtureCommand, runEngine, tempDirs, waitFor, waitForEnd } from '../runs/testing'

const FAKE_CLAUDE = fileURLToPath(new URL('../presets/fixtures/fake-claude.mjs', import.meta.url))

let engine: Engine
let cleanup: () => void
afterEach(() => cleanup())

function queued(
  title: string,
  fields: { agent?: string; dependsOn?: SpecId[]; priority?: number } = {},
) {
  const spec = engine.call(
    'spec/add',
    { title, dependsOn: fields.dependsOn ?? [], priority: fields.priority ?? 0 },
    'test',
  )
  return engine.call('spec/queue', { id: spec.id, agent: fields.agent ?? null }, 'test').id
}

const events = (type: string) =>
  engine.call('log/list', { limit: 10_000 }, 'test').filter((e) => e.type === type)

describe('an allocator round', () => {
  it('dispatches by priority to the lane with the most headroom and records why', async () => {
    ;({ engine, cleanup } = runEngine())
    for (const name of ['bob', 'alice']) {
      engine.call(
        'agent/add',
        { name, runner: 'command', command: fixtureCommand('done'), quotas: ['5h:runs:10'] },
        'test',
      )
    }
    // bob has used 5 of his 10 runs in the window; alice none.
    for (let i = 0; i < 5; i++) {
      const run = engine.call(
        'run/dispatch',
        { spec: engine.call('spec/add', { title: `old ${i}` }, 'test').id, agent: 'bob' },
        'test',
      )
      await waitForEnd(engine, run.id)
    }
    const low = queued('Low', { priority: 1 })
    const high = queued('High', { priority: 5 })

    const dry = engine.call('allocator/round', { dryRun: true }, 'test')
    expect(dry.dispatched.map((d) => [d.spec, d.agent])).toEqual([
      [high, 'alice'],
      [low, 'bob'],
    ])
    expect(engine.call('spec/get', { id: high }, 'test').status).toBe('queued')

    const round = engine.call('allocator/round', {}, 'test')
    expect(round.dispatched[0]).toMatchObject({
      spec: high,
      agent: 'alice',
      reason: 'to alice: 0% of 5h runs used, 0/1 running · bob 50% used, 0/1 running',
    })
    // alice takes one at a time; the low one waits for her or bob (50% used) — bob it is.
    expect(round.dispatched[1]).toMatchObject({
      spec: low,
      agent: 'bob',
      reason: 'to bob: 50% of 5h runs used, 0/1 running · alice busy (1/1 running)',
    })
    const dispatches = events('spec.dispatched').filter((e) => e.payload.reason)
    expect(dispatches.map((e) => e.payload.reason)).toEqual([
      'to alice: 0% of 5h runs used, 0/1 running · bob 50% used, 0/1 running',
      'to bob: 50% of 5h runs used, 0/1 running · alice busy (1/1 running)',
    ])
    // The reason stays on the run, for the card, the drawer and the run view; a person's own
    // dispatches (bob's five above) have none.
    const placed = engine.call('run/get', { id: round.dispatched[1]!.run! }, 'test')
    expect(placed.placement).toBe(round.dispatched[1]!.reason)
    const byHand = engine.call('run/list', {}, 'test').filter((run) => run.agent === 'bob')
    expect(byHand.filter((run) => run.placement === null)).toHaveLength(5)
    for (const decision of round.dispatched) await waitForEnd(engine, decision.run!)
  })

  it('starts a spec by itself once the spec it depends on has shipped (chaining)', async () => {
    ;({ engine, cleanup } = runEngine())
    engine.call(
      'agent/add',
      { name: 'bob', runner: 'command', command: fixtureCommand('ship'), maxConcurrent: 2 },
      'test',
    )
    const first = queued('Build the API')
    const second = queued('Build the UI on it', { dependsOn: [first] })
    expect(engine.call('spec/get', { id: second }, 'test').waitingOn).toEqual([first])

    engine.dispatchAutomatically()
    const shipped = await waitFor(
      () => engine.call('spec/get', { id: second }, 'test'),
      (spec) => spec.status === 'shipped',
      'the dependent spec to run and ship by itself',
    )
    expect(shipped.waitingOn).toEqual([])
    const order = events('spec.dispatched').map((e) => e.subject)
    expect(order).toEqual([first, second])
    // It waited: its dispatch came after the first one shipped.
    const firstShipped = events('run.shipped').find((e) => e.payload.spec === first)!
    const secondDispatched = events('spec.dispatched').find((e) => e.subject === second)!
    expect(secondDispatched.seq).toBeGreaterThan(firstShipped.seq)
  })

  it('dispatches nothing by itself when auto-dispatch is off; a round by hand still does', async () => {
    ;({ engine, cleanup } = runEngine())
    engine.call(
      'agent/add',
      { name: 'bob', runner: 'command', command: fixtureCommand('done') },
      'test',
    )
    engine.call('settings/set', { autoDispatch: false }, 'test')
    const spec = queued('Waits for a person')
    engine.dispatchAutomatically()
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(engine.call('spec/get', { id: spec }, 'test').status).toBe('queued')
    const round = engine.call('allocator/round', {}, 'test')
    expect(round.dispatched).toHaveLength(1)
    await waitForEnd(engine, round.dispatched[0]!.run!)
  })

  it('holds everything past the global cap, and dispatch by hand says so', async () => {
    ;({ engine, cleanup } = runEngine())
    engine.call(
      'agent/add',
      { name: 'bob', runner: 'command', command: fixtureCommand('hang'), maxConcurrent: 5 },
      'test',
    )
    engine.call('settings/set', { maxConcurrentRuns: 2 }, 'test')
    for (let i = 0; i < 4; i++) queued(`job ${i}`)
    const round = engine.call('allocator/round', {}, 'test')
    expect(round.dispatched).toHaveLength(2)
    expect(round.waiting.map((w) => w.reason)).toEqual([
      'the factory is at its global limit of runs at once',
      'the factory is at its global limit of runs at once',
    ])
    const refused = engine.invoke(
      'run/dispatch',
      { spec: round.waiting[0]!.spec, agent: 'bob' },
      'test',
    )
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'AgentUnavailable',
        message: 'the factory is running 2 runs, its global limit (factory settings --max-runs N)',
      },
    })
    for (const decision of round.dispatched) {
      engine.call('run/cancel', { id: decision.run! }, 'test')
      await waitForEnd(engine, decision.run!)
    }
  })
})

describe('what a round says', () => {
  it('says where a spec started and why there, and when nothing can start, why each lane took nothing', async () => {
    ;({ engine, cleanup } = runEngine())
    const lane = (name: string, scenario: string) =>
      engine.call(
        'agent/add',
        { name, runner: 'command', command: fixtureCommand(scenario), quotas: ['5h:runs:10'] },
        'test',
      )
    lane('alice', 'hang')
    lane('gordon', 'hang')
    const until = new Date(engine.ledger.now() + 3_600_000).setSeconds(0, 0)
    const clock = formatClock(until)
    engine.call('agent/pause', { name: 'alice', until }, 'test')
    expect(describeRound(engine.call('allocator/round', {}, 'test'))).toBe('Nothing is waiting')

    queued('Build the API')
    const started = engine.call('allocator/round', {}, 'test')
    expect(started.lanes).toEqual([])
    expect(describeRound(started)).toBe(
      `Started “Build the API” on gordon: 0% of 5h runs used, 0/1 running · alice paused until ${clock}`,
    )

    queued('Write the docs')
    const none = engine.call('allocator/round', {}, 'test')
    expect(none.dispatched).toEqual([])
    expect(none.lanes).toEqual([
      { agent: 'alice', reason: `alice paused until ${clock}`, room: false },
      { agent: 'gordon', reason: 'gordon busy (1/1 running)', room: false },
    ])
    expect(describeRound(none)).toBe(
      `Nothing started: alice paused until ${clock} · gordon busy (1/1 running)`,
    )
    engine.call('run/cancel', { id: started.dispatched[0]!.run! }, 'test')
    await waitForEnd(engine, started.dispatched[0]!.run!)
  })

  it('says which spec a waiting one waits for when a lane has room', () => {
    ;({ engine, cleanup } = runEngine())
    engine.call(
      'agent/add',
      { name: 'bob', runner: 'command', command: fixtureCommand('done') },
      'test',
    )
    const api = engine.call('spec/add', { title: 'API' }, 'test').id
    queued('UI', { dependsOn: [api] })
    const round = engine.call('allocator/round', {}, 'test')
    expect(round.lanes).toEqual([{ agent: 'bob', reason: 'bob 0% used, 0/1 running', room: true }])
    expect(describeRound(round)).toBe(`Nothing started: “UI” waits for ${api} to ship`)
  })
})

describe('against an exhausted agent', () => {
  it('sends at most one probe per reset, and burns none of the 20 queued specs', async () => {
    const HOUR = 3_600_000
    let offset = 0
    ;({ engine, cleanup } = runEngine(
      { FAKE_AGENT_SCENARIO: 'quota', FAKE_AGENT_QUOTA_MESSAGE: 'Claude AI usage limit reached' },
      { now: () => Date.now() + offset },
    ))
    engine.call(
      'agent/add',
      { name: 'bob', runner: 'claude', bin: FAKE_CLAUDE, maxConcurrent: 3 },
      'test',
    )
    const specs = Array.from({ length: 20 }, (_, i) => queued(`Queued ${i + 1}`))
    const runsSoFar = () => engine.call('run/list', { limit: 1000 }, 'test')
    const startedPerReset: number[] = []
    for (let reset = 0; reset < 4; reset++) {
      const before = runsSoFar().length
      // Many rounds while the lane is held or its probe runs: only the first may start anything.
      for (let round = 0; round < 6; round++) {
        engine.call('allocator/round', {}, 'test')
        for (const run of runsSoFar()) await waitForEnd(engine, run.id)
      }
      startedPerReset.push(runsSoFar().length - before)
      // Past the hold and its backoff: the lane resumes by itself at the next round.
      offset += 2 * HOUR
      engine.runs.env.FACTORY_CLOCK_OFFSET_MS = String(offset)
    }
    // The first round knew nothing yet and filled the lane (3); after that, one probe per reset.
    expect(startedPerReset).toEqual([3, 1, 1, 1])
    for (const run of runsSoFar()) expect(run.failure?.class).toBe('quota_exhausted')
    const statuses = specs.map((id) => engine.call('spec/get', { id }, 'test').status)
    expect(statuses.every((s) => s === 'queued')).toBe(true)
    // Holds in a row back off: each later hold is longer than the plain one-hour hold.
    const pauses = events('agent.paused').map(
      (e) => e.payload as { strikes: number; until: number },
    )
    // (The first burst of 3 is one strike: later failures of the same burst only extend the hold.)
    expect([...new Set(pauses.map((p) => p.strikes))]).toEqual([1, 2, 3, 4])
    const holds = events('agent.paused').map((e) => (e.payload.until as number) - e.ts)
    expect(holds.at(-1)!).toBeGreaterThan(HOUR + 3 * 60_000)
    expect(events('agent.resumed')).toHaveLength(3)
  }, 60_000)
})

describe('a lane that cannot work', () => {
  /** Rounds until nothing runs and a round starts nothing. */
  async function settle(): Promise<void> {
    for (let i = 0; i < 20; i++) {
      const round = engine.call('allocator/round', {}, 'test')
      for (const run of engine.call('run/list', { limit: 1000 }, 'test'))
        await waitForEnd(engine, run.id)
      if (round.dispatched.every((d) => d.refused)) return
    }
  }

  it('is stopped at its first expired login, and the queue goes to the lane that works', async () => {
    ;({ engine, cleanup } = runEngine({ FAKE_AGENT_SCENARIO: 'auth' }))
    // bob would look best (nothing used); his login has expired.
    engine.call('agent/add', { name: 'bob', runner: 'claude', bin: FAKE_CLAUDE }, 'test')
    engine.call(
      'agent/add',
      {
        name: 'alice',
        runner: 'command',
        command: fixtureCommand('done'),
        quotas: ['5h:runs:100'],
      },
      'test',
    )
    const specs = Array.from({ length: 5 }, (_, i) => queued(`Job ${i + 1}`))
    await settle()
    const runs = engine.call('run/list', { limit: 1000 }, 'test')
    expect(runs.filter((r) => r.agent === 'bob')).toHaveLength(1)
    const [bob] = engine.call('usage/get', { agent: 'bob' }, 'test')
    expect(bob).toMatchObject({ pausedIndefinitely: true })
    expect(bob!.pauseReason).toMatch(/^auth_expired: .* — log in again, then resume the lane$/)
    // Nothing burned: every spec ran on alice, the one bob took included.
    const statuses = specs.map((id) => engine.call('spec/get', { id }, 'test'))
    expect(statuses.map((s) => [s.status, s.agent])).toEqual(specs.map(() => ['review', 'alice']))
  })

  it('is stopped after three runs in a row fail, before it burns the rest of the queue', async () => {
    ;({ engine, cleanup } = runEngine())
    engine.call(
      'agent/add',
      { name: 'bob', runner: 'command', command: fixtureCommand('fail') },
      'test',
    )
    for (let i = 0; i < 6; i++) queued(`Job ${i + 1}`)
    await settle()
    const runs = engine.call('run/list', { limit: 1000 }, 'test')
    expect(runs).toHaveLength(3)
    const [bob] = engine.call('usage/get', { agent: 'bob' }, 'test')
    expect(bob!.pauseReason).toMatch(
      /^3 runs in a row failed \(last: crashed: .*\) — check the lane, then resume it$/,
    )
    const left = engine
      .call('spec/list', { stage: 'software' }, 'test')
      .filter((s) => s.status === 'queued')
    expect(left).toHaveLength(3)
  })

  it('is passed over while its workspace is gone, without a refusal logged every round', async () => {
    ;({ engine, cleanup } = runEngine())
    const gone = tempDirs()
    const workspace = gone.make('factory-gone-')
    engine.call(
      'agent/add',
      { name: 'bob', runner: 'command', command: fixtureCommand('done'), workspace },
      'test',
    )
    engine.call(
      'agent/add',
      {
        name: 'alice',
        runner: 'command',
        command: fixtureCommand('done'),
        quotas: ['5h:runs:100'],
      },
      'test',
    )
    gone.removeAll()
    const dry = engine.call('allocator/round', { dryRun: true }, 'test')
    expect(dry.dispatched).toEqual([])
    queued('Goes to alice')
    await settle()
    expect(engine.call('run/list', {}, 'test').map((r) => r.agent)).toEqual(['alice'])
    expect(events('allocator.refused')).toEqual([])
  })

  it('cannot take back by Undo a spec already written to a remote queue', () => {
    const started = runEngine()
    ;({ engine, cleanup } = started)
    const queue = join(started.dir, 'queue')
    engine.call(
      'agent/add',
      { name: 'alice', runner: 'command', command: fixtureCommand('done'), queue },
      'test',
    )
    const spec = queued('Remote work')
    const round = engine.call('allocator/round', {}, 'test')
    expect(round.dispatched[0]).toMatchObject({ agent: 'alice', run: expect.stringMatching(/^r_/) })
    const undo = engine.invoke('spec/unqueue', { id: spec, stage: 'idea', agent: null }, 'test')
    expect(undo).toMatchObject({ ok: false, error: { code: 'SpecBusy' } })
    expect(engine.call('spec/get', { id: spec }, 'test')).toMatchObject({
      stage: 'software',
      agent: 'alice',
    })
  })
})

describe('moving a spec by hand', () => {
  it('takes a queued one out of the queue with the status it had, and leaves a running one put', async () => {
    ;({ engine, cleanup } = runEngine())
    engine.call(
      'agent/add',
      { name: 'bob', runner: 'command', command: fixtureCommand('hang') },
      'test',
    )
    const spec = queued('Changed my mind')
    const moved = engine.call('spec/move', { id: spec, stage: 'idea', agent: null }, 'test')
    expect(moved).toMatchObject({ stage: 'idea', status: 'new' })
    expect(engine.call('allocator/round', {}, 'test').dispatched).toEqual([])

    const run = engine.call('run/dispatch', { spec, agent: 'bob' }, 'test')
    const refused = engine.invoke('spec/move', { id: spec, stage: 'marketing' }, 'test')
    expect(refused).toMatchObject({ ok: false, error: { code: 'SpecBusy' } })
    expect(engine.call('spec/get', { id: spec }, 'test').stage).toBe('software')
    engine.call('run/cancel', { id: run.id }, 'test')
    await waitForEnd(engine, run.id)
  })
})
