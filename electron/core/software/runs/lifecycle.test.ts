// The run lifecycle end to end: real detached supervisors, real child processes, a real ledger.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Engine } from '../../engine'
import { isAlive } from './processTree'
import { fixtureCommand, runEngine, waitFor, waitForEnd } from './testing'

let engine: Engine
let cleanup: () => void

beforeEach(() => {
  ;({ engine, cleanup } = runEngine())
})
afterEach(() => cleanup())

function commandAgent(name: string, scenario: string[], extra: { timeoutMs?: number } = {}): void {
  engine.call(
    'agent/add',
    { name, runner: 'command', command: fixtureCommand(...scenario), ...extra },
    'test',
  )
}

function addSpec(title = 'Build the hello page'): string {
  return engine.call('spec/add', { title, body: 'Say hello.' }, 'test').id
}

describe('a run', () => {
  it('ships: stages in the transcript, usage-free command runner, artifact recorded, card in Marketing', async () => {
    commandAgent('bob', ['ship'])
    const spec = addSpec()
    const started = engine.call('run/dispatch', { spec, agent: 'bob' }, 'test')
    expect(started.state).toBe('starting')
    expect(engine.call('spec/get', { id: spec }, 'test')).toMatchObject({
      stage: 'software',
      agent: 'bob',
      status: 'running',
    })
    const run = await waitForEnd(engine, started.id)
    expect(run.state).toBe('shipped')
    expect(run.exitCode).toBe(0)
    expect(run.artifact).toMatchObject({
      name: 'hello',
      version: '1.0.0',
      url: 'https://example.com/hello',
    })
    expect(run.artifact!.changelog).toContain('Build the hello page')
    const [shot] = run.artifact!.screenshots
    expect(shot).toBeDefined()
    expect(shot!.startsWith(join(engine.runs.filesDir, 'artifacts', run.id))).toBe(true)
    expect(existsSync(shot!)).toBe(true)
    const card = engine.call('spec/get', { id: spec }, 'test')
    expect(card).toMatchObject({ stage: 'marketing', status: 'shipped' })
    expect(card.run).toMatchObject({ id: run.id, state: 'shipped', stage: 'review' })

    const transcript = engine.call('run/transcript', { id: run.id, limit: 1000 }, 'test')
    const stages = transcript.entries.filter((e) => e.kind === 'stage' && e.status === 'started')
    expect(stages.map((e) => (e.kind === 'stage' ? e.stage : ''))).toEqual([
      'scout',
      'scaffold',
      'build',
      'verify',
      'review',
    ])
    // Each line the agent printed sits under the stage it printed it in, not under the next one.
    let current = ''
    const misplaced: string[] = []
    for (const entry of transcript.entries) {
      if (entry.kind === 'stage') current = entry.status === 'started' ? entry.stage : ''
      if (entry.kind !== 'raw') continue
      const printed = /^\[(\w+)\]/.exec(entry.text)
      if (printed && printed[1] !== current) misplaced.push(`${entry.text} (under "${current}")`)
    }
    expect(misplaced).toEqual([])
    expect(engine.call('run/log', { id: run.id }, 'test').text).toContain('shipped hello 1.0.0')
    const types = engine.call('log/list', {}, 'test').map((e) => e.type)
    expect(types).toEqual(
      expect.arrayContaining(['spec.dispatched', 'run.started', 'run.progress', 'run.shipped']),
    )
  })

  it('exits 0 without an artifact: done, awaiting review', async () => {
    commandAgent('bob', ['done'])
    const spec = addSpec()
    const run = await waitForEnd(
      engine,
      engine.call('run/dispatch', { spec, agent: 'bob' }, 'test').id,
    )
    expect(run).toMatchObject({ state: 'done', failure: null, exitCode: 0 })
    expect(engine.call('spec/get', { id: spec }, 'test')).toMatchObject({
      stage: 'software',
      status: 'review',
    })
  })

  it('fails with a class and the log tail on the card', async () => {
    commandAgent('bob', ['fail'])
    const spec = addSpec()
    const run = await waitForEnd(
      engine,
      engine.call('run/dispatch', { spec, agent: 'bob' }, 'test').id,
    )
    expect(run).toMatchObject({
      state: 'failed',
      exitCode: 3,
      failure: { class: 'crashed', message: 'exited with code 3' },
    })
    expect(run.logTail).toContain('error: the build failed (tsc: 3 errors)')
    const card = engine.call('board/get', {}, 'test').specs.find((s) => s.id === spec)!
    expect(card).toMatchObject({
      status: 'failed',
      run: { state: 'failed', failureClass: 'crashed' },
    })
    expect(card.run!.tail).toBe('error: the build failed (tsc: 3 errors)')
  })

  it('times out: the whole tree is stopped and the class is timeout', async () => {
    commandAgent('bob', ['hang'], { timeoutMs: 1500 })
    const spec = addSpec()
    const started = engine.call('run/dispatch', { spec, agent: 'bob' }, 'test')
    const pidsFile = join(engine.runs.filesDir, 'runs', started.id, 'output', 'pids.json')
    await waitFor(() => existsSync(pidsFile), Boolean, 'the fixture to record its pids')
    const pids = JSON.parse(readFileSync(pidsFile, 'utf8')) as number[]
    const run = await waitForEnd(engine, started.id)
    expect(run.failure).toMatchObject({
      class: 'timeout',
      message: 'no result after 1.5s; stopped',
    })
    await waitFor(
      () => pids.filter(isAlive),
      (alive) => alive.length === 0,
      'every process of the tree to stop',
      5000,
    )
  })

  it('cancels: no process of the tree survives, including one that left the process group', async () => {
    commandAgent('bob', ['hang'])
    const spec = addSpec()
    const started = engine.call('run/dispatch', { spec, agent: 'bob' }, 'test')
    const pidsFile = join(engine.runs.filesDir, 'runs', started.id, 'output', 'pids.json')
    await waitFor(() => existsSync(pidsFile), Boolean, 'the fixture to record its pids')
    const pids = JSON.parse(readFileSync(pidsFile, 'utf8')) as number[]
    expect(pids.every(isAlive)).toBe(true)
    engine.call('run/cancel', { id: started.id }, 'test')
    const run = await waitForEnd(engine, started.id)
    expect(run).toMatchObject({ state: 'failed', failure: { class: 'cancelled' } })
    await waitFor(
      () => pids.filter(isAlive),
      (alive) => alive.length === 0,
      'every process of the tree to stop',
      5000,
    )
    const types = engine.call('log/list', {}, 'test').map((e) => e.type)
    expect(types).toContain('run.cancel_requested')
  })

  it('is found lost after its supervisor is killed; its log is kept and its agent stopped', async () => {
    commandAgent('bob', ['hang'])
    const spec = addSpec()
    const started = engine.call('run/dispatch', { spec, agent: 'bob' }, 'test')
    const pidsFile = join(engine.runs.filesDir, 'runs', started.id, 'output', 'pids.json')
    await waitFor(() => existsSync(pidsFile), Boolean, 'the fixture to record its pids')
    const running = await waitFor(
      () => engine.call('run/get', { id: started.id }, 'test'),
      (r) => r.state === 'running',
      'running',
    )
    expect(running.state).toBe('running')
    // What the agent printed is on disk before its supervisor dies.
    await waitFor(
      () => engine.call('run/log', { id: started.id }, 'test').text,
      (text) => text.includes('hanging'),
      'the log',
    )
    const { supervisor_pid: supervisorPid } = engine.ledger.sqlite
      .prepare('SELECT supervisor_pid FROM runs WHERE id = ?')
      .get(started.id) as { supervisor_pid: number }
    process.kill(supervisorPid, 'SIGKILL')
    await waitFor(
      () => isAlive(supervisorPid),
      (alive) => !alive,
      'the supervisor to die',
    )
    expect(engine.recoverRuns()).toEqual([started.id])
    const run = engine.call('run/get', { id: started.id }, 'test')
    expect(run).toMatchObject({ state: 'lost', failure: { class: 'crashed' } })
    expect(run.logTail).toContain('hanging')
    expect(engine.call('run/log', { id: run.id }, 'test').text).toContain('hanging')
    const pids = JSON.parse(readFileSync(pidsFile, 'utf8')) as number[]
    await waitFor(
      () => pids.filter(isAlive),
      (alive) => alive.length === 0,
      'the orphaned agent to stop',
      5000,
    )
    expect(engine.recoverRuns()).toEqual([])
  })

  it('outlives the engine that dispatched it', async () => {
    commandAgent('bob', ['slow', '1'])
    const spec = addSpec()
    const started = engine.call('run/dispatch', { spec, agent: 'bob' }, 'test')
    const { dbPath } = engine.runs
    engine.close()
    const { createEngine } = await import('../../engine')
    engine = createEngine({ dbPath })
    const run = await waitForEnd(engine, started.id)
    expect(run).toMatchObject({ state: 'shipped', failure: null })
    expect(engine.call('run/log', { id: run.id }, 'test').text).toContain('tick 0')
    engine.close()
  })

  it('starts on a standby supervisor in a long-lived host, which leaves with its host when unused', async () => {
    cleanup()
    ;({ engine, cleanup } = runEngine({}, { warmSupervisor: true }))
    commandAgent('bob', ['done'])
    const spec = addSpec()
    const standby = engine.runs.standby as unknown as { ready?: { pid: number } }
    const standbyPid = (await waitFor(() => standby.ready, Boolean, 'the standby to be ready'))!.pid
    const run = await waitForEnd(
      engine,
      engine.call('run/dispatch', { spec, agent: 'bob' }, 'test').id,
    )
    expect(run.state).toBe('done')
    const { supervisor_pid: used } = engine.ledger.sqlite
      .prepare('SELECT supervisor_pid FROM runs WHERE id = ?')
      .get(run.id) as { supervisor_pid: number }
    expect(used).toBe(standbyPid)
    const next = (await waitFor(() => standby.ready, Boolean, 'the next standby'))!.pid
    expect(isAlive(next)).toBe(true)
    engine.close()
    await waitFor(
      () => isAlive(next),
      (alive) => !alive,
      'the unused standby to exit with its host',
    )
  })

  it('refuses a second run of a spec that is running', async () => {
    commandAgent('bob', ['hang'])
    const spec = addSpec()
    const first = engine.call('run/dispatch', { spec, agent: 'bob' }, 'test')
    expect(engine.invoke('run/dispatch', { spec, agent: 'bob' }, 'test')).toMatchObject({
      ok: false,
      error: {
        code: 'SpecBusy',
        message: `${spec} is already running as ${first.id}; cancel it first (factory run cancel ${first.id})`,
      },
    })
    engine.call('run/cancel', { id: first.id }, 'test')
    await waitForEnd(engine, first.id)
  })
})
