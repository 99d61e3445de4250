// Dispatch refuses an agent that cannot take work now, saying why, and writes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Engine } from '../../engine'
import { fixtureCommand, runEngine, waitForEnd } from './testing'

let engine: Engine
let cleanup: () => void
beforeEach(() => {
  ;({ engine, cleanup } = runEngine())
  engine.call(
    'agent/add',
    { name: 'bob', runner: 'command', command: fixtureCommand('hang') },
    'test',
  )
})
afterEach(() => cleanup())

function refusal(title: string): string {
  const spec = engine.call('spec/add', { title }, 'test').id
  const before = engine.ledger.latestSeq()
  const answer = engine.invoke('run/dispatch', { spec, agent: 'bob' }, 'test')
  if (answer.ok) throw new Error('the dispatch was not refused')
  expect(answer.error.code).toBe('AgentUnavailable')
  expect(engine.ledger.latestSeq()).toBe(before)
  return answer.error.message
}

describe('dispatch refuses an agent that cannot take work', () => {
  it('when it is disabled or paused', () => {
    engine.call('agent/edit', { name: 'bob', enabled: false }, 'test')
    expect(refusal('a')).toBe('bob is disabled (factory agent set bob --enabled yes)')
    engine.call('agent/edit', { name: 'bob', enabled: true }, 'test')
    engine.call('agent/pause', { name: 'bob' }, 'test')
    expect(refusal('b')).toBe('bob is paused (paused by hand); resume it first')
    const until = Date.now() + 3_600_000
    engine.call('agent/pause', { name: 'bob', until, reason: 'quota_exhausted' }, 'test')
    expect(refusal('c')).toMatch(/^bob is paused until \d\d:\d\d \(quota_exhausted\)$/)
  })

  it('when it is at its concurrency cap', async () => {
    const spec = engine.call('spec/add', { title: 'first' }, 'test').id
    const first = engine.call('run/dispatch', { spec, agent: 'bob' }, 'test')
    expect(refusal('second')).toBe('bob is at its limit of 1 run at once')
    engine.call('run/cancel', { id: first.id }, 'test')
    await waitForEnd(engine, first.id)
  })

  it('when a quota window is used up', () => {
    engine.call('agent/edit', { name: 'bob', quotas: ['5h:runs:1'] }, 'test')
    engine.call('spec/add', { title: 'owner of r_9' }, 'test')
    engine.ledger.sqlite
      .prepare(
        `INSERT INTO runs (id, spec_id, agent, runner, state, argv, cwd, workspace_kind, run_dir,
           created_at, updated_at) VALUES ('r_9', 's_1', 'bob', 'command', 'done', '[]', '/', 'folder', '/', ?, ?)`,
      )
      .run(Date.now() - 1000, Date.now())
    expect(refusal('over quota')).toMatch(
      /^bob has used 5h runs: 1 of 1 run \(100%\); it frees up at \d\d:\d\d$/,
    )
  })
})
