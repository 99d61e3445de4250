// Whatever another machine leaves as one run's result, ingesting it ends that run once and in
// words, never throws, and leaves the runs beside it to their own results.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Run } from '../../../../shared/runs'
import type { Engine } from '../../engine'
import { runEngine, tempDirs } from '../runs/testing'
import { queueItemId } from './enqueue'
import { ingestQueues } from './ingest'
import { claim, resultName } from './maildir'
import { resultContent } from './testing'

let engine: Engine
let cleanup: () => void
let queue: string
const dirs = tempDirs()
beforeAll(() => {
  ;({ engine, cleanup } = runEngine())
  queue = join(dirs.make('factory-queue-'), 'alice')
  engine.call('agent/add', { name: 'alice', runner: 'claude', queue, maxConcurrent: 10 }, 'test')
})
afterAll(() => {
  cleanup()
  dirs.removeAll()
})

let specs = 0
function dispatch(): Run {
  const spec = engine.call('spec/add', { title: `spec ${++specs}` }, 'test').id
  return engine.call('run/dispatch', { spec, agent: 'alice' }, 'test')
}

function writeResult(run: Run, folder: 'done' | 'failed', text: string, withFolder = false): void {
  claim(queue, queueItemId(run))
  if (withFolder) mkdirSync(join(queue, folder, queueItemId(run)), { recursive: true })
  writeFileSync(join(queue, folder, resultName(queueItemId(run))), text)
}

const endings = (run: Run): number =>
  (
    engine.ledger.sqlite
      .prepare(
        `SELECT count(*) AS n FROM events WHERE subject = ?
         AND type IN ('run.shipped', 'run.done', 'run.failed', 'run.lost')`,
      )
      .get(run.id) as { n: number }
  ).n

describe('ingesting a hostile result beside good ones', () => {
  it('ends the hostile run once, in words, and each other run with its own result', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('done', 'failed') as fc.Arbitrary<'done' | 'failed'>,
        fc.boolean(),
        resultContent('@@ID@@', '@@RUN@@'),
        (folder, withFolder, content) => {
          const before = dispatch()
          const hostile = dispatch()
          const after = dispatch()
          // Written for this very item, so that some of them read as its result.
          const text = content
            .replaceAll('@@ID@@', queueItemId(hostile))
            .replaceAll('@@RUN@@', hostile.id)
          writeResult(
            before,
            'done',
            JSON.stringify({ id: queueItemId(before), run: before.id, outcome: 'done' }),
          )
          writeResult(hostile, folder, text, withFolder)
          const failure = { class: 'crashed', message: 'its own failure' }
          writeResult(
            after,
            'failed',
            JSON.stringify({ id: queueItemId(after), run: after.id, outcome: 'failed', failure }),
          )

          expect(() => ingestQueues(engine.ledger)).not.toThrow()
          const get = (run: Run) => engine.call('run/get', { id: run.id }, 'test')
          expect(get(before).state).toBe('done')
          expect(get(after)).toMatchObject({
            state: 'failed',
            failure: { message: 'its own failure' },
          })
          const ended = get(hostile)
          expect(['shipped', 'done', 'failed']).toContain(ended.state)
          if (ended.state === 'failed') expect(ended.failure?.message.length).toBeGreaterThan(0)
          for (const run of [before, hostile, after]) expect(endings(run)).toBe(1)
          // Looked at again, nothing is recorded twice.
          ingestQueues(engine.ledger)
          for (const run of [before, hostile, after]) expect(endings(run)).toBe(1)
        },
      ),
      { numRuns: 100 },
    )
  })
})
