// A remote lane whose drainer stopped gives its waiting work back instead of holding it for ever.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, expect, it } from 'vitest'
import type { Engine } from '../../engine'
import { fixtureCommand, runEngine, waitForEnd } from '../runs/testing'
import { ingestQueues } from './ingest'

let engine: Engine
let cleanup: () => void
afterEach(() => cleanup())

it('takes back work nobody claimed for half an hour, pauses the lane and lets another run it', async () => {
  let offset = 0
  const started = runEngine({}, { now: () => Date.now() + offset })
  ;({ engine, cleanup } = started)
  const queue = join(started.dir, 'alice-queue')
  engine.call(
    'agent/add',
    { name: 'alice', runner: 'command', command: fixtureCommand('done'), queue, maxConcurrent: 2 },
    'test',
  )
  const specs = ['One', 'Two'].map((title) => {
    const id = engine.call('spec/add', { title }, 'test').id
    return engine.call('spec/queue', { id, agent: null }, 'test').id
  })
  const round = engine.call('allocator/round', {}, 'test')
  expect(round.dispatched.map((d) => d.agent)).toEqual(['alice', 'alice'])
  expect(readdirSync(join(queue, 'new'))).toHaveLength(2)

  // 20 minutes: still only waiting, nothing is taken back.
  offset = 20 * 60_000
  ingestQueues(engine.ledger)
  expect(readdirSync(join(queue, 'new'))).toHaveLength(2)

  offset = 31 * 60_000
  ingestQueues(engine.ledger)
  expect(readdirSync(join(queue, 'new'))).toHaveLength(0)
  const [alice] = engine.call('usage/get', { agent: 'alice' }, 'test')
  expect(alice).toMatchObject({ pausedIndefinitely: true })
  expect(alice!.pauseReason).toBe(
    'nothing claimed from its queue for 30 min: is its drainer running? (factory drain --agent alice)',
  )
  for (const id of specs) {
    expect(engine.call('spec/get', { id }, 'test')).toMatchObject({ status: 'queued', agent: null })
  }
  // A lane that works takes them.
  engine.call(
    'agent/add',
    { name: 'bob', runner: 'command', command: fixtureCommand('done'), maxConcurrent: 2 },
    'test',
  )
  const next = engine.call('allocator/round', {}, 'test')
  expect(next.dispatched.map((d) => d.agent)).toEqual(['bob', 'bob'])
  for (const decision of next.dispatched) await waitForEnd(engine, decision.run!)
})
