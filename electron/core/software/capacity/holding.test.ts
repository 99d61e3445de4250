// A run that hits a limit holds its lane until the reset; the next dispatch is refused with why.
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Engine } from '../../engine'
import { followSoftwareReactors } from './holding'
import { runEngine, waitForEnd } from '../runs/testing'

const FAKE_CLAUDE = fileURLToPath(new URL('../presets/fixtures/fake-claude.mjs', import.meta.url))

let engine: Engine
let cleanup: () => void
afterEach(() => cleanup())

function dispatchTo(agent: string, title: string) {
  const spec = engine.call('spec/add', { title }, 'test').id
  return engine.call('run/dispatch', { spec, agent }, 'test')
}

describe('quota-aware holding', () => {
  beforeEach(() => {
    ;({ engine, cleanup } = runEngine({ FAKE_AGENT_SCENARIO: 'quota' }))
    engine.call('agent/add', { name: 'bob', runner: 'claude', bin: FAKE_CLAUDE }, 'test')
  })

  it('pauses the lane until the reset the CLI announced, and refuses work meanwhile', async () => {
    const run = await waitForEnd(engine, dispatchTo('bob', 'Hits the limit').id)
    expect(run.failure?.class).toBe('quota_exhausted')
    const resetAt = run.failure!.resetAt!
    // The supervisor holds the lane just after it records the outcome; a dispatch catches up too.
    followSoftwareReactors(engine.ledger)
    const [bob] = engine.call('usage/get', { agent: 'bob' }, 'test')
    expect(bob).toMatchObject({ pausedUntil: resetAt })
    expect(bob!.pauseReason).toMatch(/^quota_exhausted: /)
    const refused = engine.invoke(
      'run/dispatch',
      { spec: engine.call('spec/add', { title: 'Waits' }, 'test').id, agent: 'bob' },
      'test',
    )
    expect(refused).toMatchObject({ ok: false, error: { code: 'AgentUnavailable' } })
    // Exactly one pause, however often the reactors catch up.
    followSoftwareReactors(engine.ledger)
    followSoftwareReactors(engine.ledger)
    const pauses = engine.call('log/list', {}, 'test').filter((e) => e.type === 'agent.paused')
    expect(pauses).toHaveLength(1)
    expect(pauses[0]!.payload).toMatchObject({ until: resetAt, run: run.id })
  })
})

describe('where a spec goes when its run hits a limit', () => {
  beforeEach(() => {
    ;({ engine, cleanup } = runEngine({ FAKE_AGENT_SCENARIO: 'quota' }))
    engine.call('agent/add', { name: 'alice', runner: 'claude', bin: FAKE_CLAUDE }, 'test')
  })

  it('goes back to Unassigned for the allocator when it was only dropped on the lane', async () => {
    const run = await waitForEnd(engine, dispatchTo('alice', 'Dropped on alice').id)
    followSoftwareReactors(engine.ledger)
    const spec = engine.call('spec/get', { id: run.specId }, 'test')
    expect(spec).toMatchObject({ stage: 'software', status: 'queued', agent: null })
    const queued = engine.call('log/list', {}, 'test').filter((e) => e.type === 'spec.queued')
    expect(queued.at(-1)!.payload).toMatchObject({
      agent: null,
      reason: 'alice hit its limit; waits for it to reset',
    })
  })

  it('stays on its lane when a person pinned it there (queued it on that lane)', async () => {
    const id = engine.call('spec/add', { title: 'Only alice' }, 'test').id
    engine.call('spec/queue', { id, agent: 'alice' }, 'test')
    const round = engine.call('allocator/round', {}, 'test')
    expect(round.dispatched.map((d) => d.agent)).toEqual(['alice'])
    expect(
      engine.call('log/list', {}, 'test').find((e) => e.type === 'spec.dispatched')!.payload,
    ).toMatchObject({ pinned: true })
    await waitForEnd(engine, round.dispatched[0]!.run!)
    followSoftwareReactors(engine.ledger)
    expect(engine.call('spec/get', { id }, 'test')).toMatchObject({
      status: 'queued',
      agent: 'alice',
    })
  })
})

describe('a follow-up that hits the limit', () => {
  it('stays failed with its reviewer comments for Retry, instead of going back to the queue without them', async () => {
    ;({ engine, cleanup } = runEngine({ FAKE_AGENT_SCENARIO: 'done' }))
    engine.call('agent/add', { name: 'bob', runner: 'claude', bin: FAKE_CLAUDE }, 'test')
    const first = await waitForEnd(engine, dispatchTo('bob', 'Price table').id)
    expect(first.state).toBe('done')
    engine.runs.env.FAKE_AGENT_SCENARIO = 'quota'
    const followUp = engine.call(
      'run/request-changes',
      { id: first.id, comments: 'Use EUR, not USD.' },
      'test',
    )
    const ended = await waitForEnd(engine, followUp.id)
    expect(ended.failure?.class).toBe('quota_exhausted')
    followSoftwareReactors(engine.ledger)
    const spec = engine.call('spec/get', { id: first.specId }, 'test')
    expect(spec).toMatchObject({
      status: 'failed',
      run: expect.objectContaining({ id: followUp.id }),
    })
    expect(engine.call('usage/get', { agent: 'bob' }, 'test')[0]!.pausedUntil).not.toBeNull()
  })
})
