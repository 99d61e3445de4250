// The dashboard's side of a queue, on a real ledger and real files: dispatching to a queue agent
// writes a queued run and its file; claims and results in the queue become the same ledger states
// and events as a local run's; bad results fail only their own run; cancel takes the file back.
import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { QueueResult } from '../../../../shared/queue'
import type { Run } from '../../../../shared/runs'
import type { Engine } from '../../engine'
import { recoverLostRuns } from '../runs/control'
import { fixtureCommand, runEngine, tempDirs } from '../runs/testing'
import { runClaimed } from './claimedRun'
import { queuedFilePath, queueItemId } from './enqueue'
import { ingestQueues } from './ingest'
import { claim, listWaiting, locate, stageSpec } from './maildir'
import { parseQueueSpec } from './specFile'

let engine: Engine
let cleanup: () => void
let queue: string
const dirs = tempDirs()
beforeEach(() => {
  ;({ engine, cleanup } = runEngine())
  queue = join(dirs.make('factory-queue-'), 'alice')
  engine.call('agent/add', { name: 'alice', runner: 'claude', queue, maxConcurrent: 5 }, 'test')
})
afterEach(() => {
  cleanup()
  dirs.removeAll()
})

function dispatch(title: string): Run {
  const spec = engine.call('spec/add', { title, body: 'Say hello.' }, 'test').id
  return engine.call('run/dispatch', { spec, agent: 'alice' }, 'test')
}

const get = (run: Run): Run => engine.call('run/get', { id: run.id }, 'test')
const idOf = (run: Run): string => queueItemId(run)
const eventsOf = (run: Run) =>
  engine.call('log/list', { limit: 1000 }, 'test').filter((e) => e.subject === run.id)

/** What a drainer publishes, written by hand: the JSON (and a folder, if given). */
function writeResult(run: Run, folder: 'done' | 'failed', result: Partial<QueueResult> | string) {
  claim(queue, idOf(run))
  const text =
    typeof result === 'string' ? result : JSON.stringify({ id: idOf(run), run: run.id, ...result })
  writeFileSync(join(queue, folder, `${idOf(run)}.result.json`), text)
}

async function drainOne(run: Run, command: string[]): Promise<string> {
  const held = claim(queue, idOf(run))!
  const stop = new AbortController().signal
  return runClaimed(held, { command, staleMs: 60_000, stop, note: () => undefined })
}

describe('a queue agent', () => {
  it('counts what waits in its queue apart from what its drainer has claimed', () => {
    const usage = () => engine.call('usage/get', { agent: 'alice' }, 'test')[0]!
    const first = dispatch('One')
    dispatch('Two')
    expect(usage()).toMatchObject({ running: 0, waiting: 2 })
    claim(queue, idOf(first))
    ingestQueues(engine.ledger)
    expect(usage()).toMatchObject({ running: 1, waiting: 1 })
  })

  it('gets a queued run and a file; claimed it runs, shipped it moves to Marketing like a local run', async () => {
    const run = dispatch('Landing "page" --- id: x')
    expect(run).toMatchObject({ state: 'queued', agent: 'alice', cwd: queue, argv: [] })
    expect(engine.call('spec/get', { id: run.specId }, 'test')).toMatchObject({
      stage: 'software',
      agent: 'alice',
      status: 'queued',
    })
    expect(eventsOf(run)).toEqual([])
    const dispatched = engine.call('log/list', {}, 'test').at(-1)!
    expect(dispatched).toMatchObject({ type: 'spec.dispatched', payload: { run: run.id, queue } })
    const file = parseQueueSpec(readFileSync(queuedFilePath(run), 'utf8'))
    expect(file).toMatchObject({
      ok: true,
      item: { id: idOf(run), run: run.id, spec: run.specId, title: 'Landing "page" --- id: x' },
      body: '# Landing "page" --- id: x\n\nSay hello.\n',
    })

    const held = claim(queue, idOf(run))!
    expect(ingestQueues(engine.ledger)).toEqual([run.id])
    expect(get(run).state).toBe('running')
    expect(engine.call('spec/get', { id: run.specId }, 'test').status).toBe('running')

    const stop = new AbortController().signal
    const command = fixtureCommand('ship', '1')
    expect(await runClaimed(held, { command, staleMs: 60_000, stop, note: () => {} })).toBe(
      'shipped',
    )
    engine.recoverRuns()
    const shipped = get(run)
    expect(shipped).toMatchObject({ state: 'shipped', exitCode: 0 })
    expect(shipped.artifact).toMatchObject({ name: 'hello', version: '1.0.0' })
    expect(shipped.artifact!.screenshots).toHaveLength(1)
    expect(shipped.artifact!.screenshots[0]).toContain(join('artifacts', run.id))
    expect(existsSync(shipped.artifact!.screenshots[0]!)).toBe(true)
    expect(engine.call('spec/get', { id: run.specId }, 'test')).toMatchObject({
      stage: 'marketing',
      status: 'shipped',
    })
    expect(eventsOf(run).map((e) => e.type)).toEqual(['run.started', 'run.shipped'])

    // Ingesting again (another host, the next tick) records nothing twice.
    const seq = engine.ledger.latestSeq()
    expect(ingestQueues(engine.ledger)).toEqual([])
    engine.recoverRuns()
    expect(engine.ledger.latestSeq()).toBe(seq)
  })

  it('records a failed command as failed, with its class and log tail, and done as review', async () => {
    const failing = dispatch('will fail')
    const fine = dispatch('looks only')
    expect(await drainOne(failing, fixtureCommand('fail'))).toBe('failed')
    expect(await drainOne(fine, fixtureCommand('done'))).toBe('done')
    expect(existsSync(join(queue, 'failed', `${idOf(failing)}.result.json`))).toBe(true)
    expect(existsSync(join(queue, 'done', idOf(fine), 'output.log'))).toBe(true)
    engine.recoverRuns()
    expect(get(failing)).toMatchObject({
      state: 'failed',
      exitCode: 3,
      failure: { class: 'crashed', message: 'exited with code 3' },
    })
    expect(get(failing).logTail).toContain('the build failed')
    expect(engine.call('run/log', { id: failing.id }, 'test').text).toContain('the build failed')
    expect(engine.call('spec/get', { id: failing.specId }, 'test').status).toBe('failed')
    expect(get(fine).state).toBe('done')
    expect(engine.call('spec/get', { id: fine.specId }, 'test').status).toBe('review')
  })

  it('fails a run whose result is malformed or hostile, saying why, and leaves the others be', () => {
    const notJson = dispatch('a')
    const linked = dispatch('b')
    const wrongFolder = dispatch('c')
    const noFolder = dispatch('d')
    const good = dispatch('e')
    writeResult(notJson, 'done', '{"outcome": "shipped", ')
    claim(queue, idOf(linked))
    symlinkSync('/etc/passwd', join(queue, 'done', `${idOf(linked)}.result.json`))
    writeResult(wrongFolder, 'done', { outcome: 'failed' })
    writeResult(noFolder, 'done', { outcome: 'shipped' })
    writeResult(good, 'done', { outcome: 'done', usage: { inputTokens: 10, costMicros: 5 } })
    // A result this ledger never asked for (another dashboard's r_1) is none of its business.
    const foreign = join(queue, 'done', `${good.id}-other.result.json`)
    writeFileSync(foreign, '{}')

    ingestQueues(engine.ledger)
    const failure = (run: Run) => get(run).failure
    expect(failure(notJson)).toMatchObject({ class: 'bad_output', message: /is not JSON/ })
    expect(failure(linked)?.message).toMatch(/symbolic link/)
    expect(failure(wrongFolder)?.message).toMatch(/says failed but lies in done\//)
    expect(failure(noFolder)?.message).toMatch(/it says shipped, but done\/.*\/ is no folder/)
    expect(get(good)).toMatchObject({ state: 'done', usage: { inputTokens: 10, costMicros: 5 } })
    expect(readFileSync(foreign, 'utf8')).toBe('{}')
  })

  it('copies nothing from an artifact folder that is a link to elsewhere', () => {
    const run = dispatch('sneaky')
    const elsewhere = dirs.make('factory-elsewhere-')
    writeFileSync(join(elsewhere, 'artifact.json'), '{"name":"x","version":"1"}')
    symlinkSync(elsewhere, join(queue, 'done', idOf(run)))
    writeResult(run, 'done', { outcome: 'shipped' })
    ingestQueues(engine.ledger)
    expect(get(run)).toMatchObject({ state: 'failed', failure: { class: 'bad_output' } })
    expect(get(run).artifact).toBeNull()
  })

  it('is cancelled at once: a waiting file leaves new/, a claim leaves cur/, a late result is ignored', () => {
    const waiting = dispatch('waiting')
    const claimed = dispatch('claimed')
    const held = claim(queue, idOf(claimed))!
    engine.recoverRuns()
    for (const run of [waiting, claimed]) {
      expect(engine.call('run/cancel', { id: run.id }, 'test')).toMatchObject({
        state: 'failed',
        failure: { class: 'cancelled' },
      })
    }
    expect(listWaiting(queue)).toEqual([])
    expect(existsSync(held.path)).toBe(false)
    writeFileSync(
      join(queue, 'done', `${idOf(claimed)}.result.json`),
      JSON.stringify({ id: idOf(claimed), run: claimed.id, outcome: 'done' }),
    )
    ingestQueues(engine.ledger)
    expect(get(claimed).failure?.class).toBe('cancelled')
  })

  it('is never marked lost for lack of a supervisor; a stale claim makes it queued again', () => {
    const run = dispatch('patient')
    expect(recoverLostRuns(engine.ledger, Date.now() + 3_600_000)).toEqual([])
    const held = claim(queue, idOf(run))!
    ingestQueues(engine.ledger)
    const old = new Date(Date.now() - 60_000)
    utimesSync(held.path, old, old)
    expect(ingestQueues(engine.ledger, { staleMs: 30_000 })).toEqual([run.id])
    expect(locate(queue, idOf(run))).toBe('waiting')
    expect(get(run).state).toBe('queued')
    expect(eventsOf(run).map((e) => e.type)).toEqual(['run.started', 'run.requeued'])
  })

  it('is lost when its file vanished without a result, after a grace period', () => {
    const run = dispatch('vanishing')
    rmSync(queuedFilePath(run)) // deleted by hand
    expect(ingestQueues(engine.ledger)).toEqual([])
    expect(get(run).state).toBe('queued')
    expect(ingestQueues(engine.ledger, { missingGraceMs: 0 })).toEqual([run.id])
    expect(get(run)).toMatchObject({ state: 'lost', failure: { message: /disappeared/ } })
  })

  it('finishes a dispatch killed between its commit and the move into new/', () => {
    const run = dispatch('cut short after the commit')
    expect(readdirSync(join(queue, 'tmp'))).toEqual([])
    // What a dispatcher killed at that moment leaves: the spec staged in tmp/, the run queued.
    const staged = join(queue, 'tmp', `${idOf(run)}.md.publishing-${Date.now()}-1-ab`)
    renameSync(queuedFilePath(run), staged)
    expect(listWaiting(queue)).toEqual([])
    expect(locate(queue, idOf(run))).toBe('staged')
    expect(ingestQueues(engine.ledger, { missingGraceMs: 0 })).toEqual([])
    expect(get(run).state).toBe('queued') // not taken for claimed, nor for lost
    expect(listWaiting(queue)).toEqual([idOf(run)])
    expect(existsSync(staged)).toBe(false)
  })

  it('never publishes a spec whose run was not committed; tmp/ lets it go after 36 hours', () => {
    const orphan = 'r_9-m8x3k2a1' // a dispatcher killed before its commit: no such run
    dispatch('a run that was recorded') // so that ingest looks at this queue
    const staged = stageSpec(queue, orphan, 'never recorded\n', Date.now())
    ingestQueues(engine.ledger, { missingGraceMs: 0 })
    expect(listWaiting(queue)).not.toContain(orphan)
    expect(claim(queue, orphan)).toBeUndefined()
    const old = (Date.now() - 37 * 3_600_000) / 1000
    utimesSync(staged, old, old)
    ingestQueues(engine.ledger)
    expect(existsSync(staged)).toBe(false)
  })

  it('takes a staged spec back out when its run is cancelled', () => {
    const run = dispatch('cancelled while staged')
    const staged = join(queue, 'tmp', `${idOf(run)}.md.publishing-${Date.now()}-1-ab`)
    renameSync(queuedFilePath(run), staged)
    engine.call('run/cancel', { id: run.id }, 'test')
    expect(get(run).state).toBe('failed')
    expect(readdirSync(join(queue, 'tmp'))).toEqual([])
    ingestQueues(engine.ledger)
    expect(listWaiting(queue)).toEqual([])
  })

  it('takes as many as a person enqueues, past its cap: the drainer takes them in turn', () => {
    engine.call('agent/edit', { name: 'alice', maxConcurrent: 1 }, 'test')
    engine.call('settings/set', { maxConcurrentRuns: 1 }, 'test')
    for (const title of ['first', 'second', 'third']) dispatch(title)
    expect(listWaiting(queue)).toHaveLength(3)
  })

  it('gets no more than its cap from the allocator, so the rest stay movable', () => {
    engine.call('agent/edit', { name: 'alice', maxConcurrent: 1 }, 'test')
    for (const title of ['a', 'b', 'c']) {
      const id = engine.call('spec/add', { title }, 'test').id
      engine.call('spec/queue', { id }, 'test')
    }
    const round = engine.call('allocator/round', {}, 'test')
    expect(round.dispatched.filter((d) => d.run)).toHaveLength(1)
    expect(listWaiting(queue)).toHaveLength(1)
    expect(round.waiting).toHaveLength(2)
  })

  it('is refused like a local agent when paused, and nothing is written', () => {
    dispatch('first')
    const spec = engine.call('spec/add', { title: 'second' }, 'test').id
    engine.call('agent/pause', { name: 'alice' }, 'test')
    const answer = engine.invoke('run/dispatch', { spec, agent: 'alice' }, 'test')
    const message = /alice is paused/
    expect(answer).toMatchObject({ ok: false, error: { code: 'AgentUnavailable', message } })
    const viaQueue = engine.invoke('queue/enqueue', { spec, target: 'alice' }, 'test')
    expect(viaQueue).toMatchObject({ ok: false, error: { code: 'AgentUnavailable', message } })
    expect(listWaiting(queue)).toHaveLength(1)
  })
})
