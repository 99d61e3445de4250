// What a run survives: stubborn and orphaned processes, a ledger locked when the outcome is due,
// reused pids, a setup command before the agent, review while a follow-up runs.
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../engine'
import { isAlive, processIdentity } from './processTree'
import { fixtureCommand, runEngine, waitFor, waitForEnd } from './testing'

let engine: Engine
let dir: string
let cleanup: () => void

beforeEach(() => {
  ;({ engine, dir, cleanup } = runEngine())
})
afterEach(() => cleanup())

function agent(name: string, scenario: string[], extra: object = {}): void {
  engine.call(
    'agent/add',
    { name, runner: 'command', command: fixtureCommand(...scenario), ...extra },
    'test',
  )
}

function dispatch(title: string, to = 'bob') {
  const spec = engine.call('spec/add', { title }, 'test').id
  return engine.call('run/dispatch', { spec, agent: to }, 'test')
}

async function pidsOf(runId: string): Promise<number[]> {
  const file = join(dir, 'ledger.db.files', 'runs', runId, 'output', 'pids.json')
  await waitFor(() => existsSync(file) && readFileSync(file, 'utf8'), Boolean, 'pids.json')
  return JSON.parse(readFileSync(file, 'utf8')) as number[]
}

const allGone = (pids: number[]) =>
  waitFor(
    () => pids.filter(isAlive),
    (alive) => alive.length === 0,
    'every process to stop',
    8000,
  )

/** A run of the `hang` fixture on bob, once it is running, with its processes' pids. */
async function hangingRun(title: string) {
  agent('bob', ['hang'])
  const run = dispatch(title)
  const pids = await pidsOf(run.id)
  await waitFor(
    () => row(run.id).state,
    (s) => s === 'running',
    'running',
  )
  return { run, pids }
}

function row(runId: string) {
  return engine.ledger.sqlite.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as Record<
    string,
    unknown
  >
}

describe('a run', () => {
  it('is cancelled even when it ignores SIGTERM: the SIGKILL follows', async () => {
    agent('bob', ['stubborn'])
    const run = dispatch('Stubborn')
    const pids = await pidsOf(run.id)
    engine.call('run/cancel', { id: run.id }, 'test')
    const ended = await waitForEnd(engine, run.id)
    expect(ended.failure?.class).toBe('cancelled')
    // Recorded only after the tree is gone, SIGKILL stage included.
    expect(pids.filter(isAlive)).toEqual([])
  })

  it('leaves no orphan behind, even one re-parented to init outside its process group', async () => {
    agent('bob', ['orphan'])
    const run = dispatch('Orphan maker')
    const [orphan] = await pidsOf(run.id)
    expect((await waitForEnd(engine, run.id)).state).toBe('done')
    await allGone([orphan!])
  })

  it('still records its outcome when the ledger is locked at that moment', async () => {
    agent('bob', ['slow', '1'])
    const run = dispatch('Locked out')
    await waitFor(
      () => engine.call('run/get', { id: run.id }, 'test').state,
      (s) => s === 'running',
      'running',
    )
    const other = new Database(join(dir, 'ledger.db'))
    other.pragma('busy_timeout = 0')
    other.exec('BEGIN IMMEDIATE')
    // Longer than the 5 s busy timeout: the first attempts to commit fail.
    await new Promise((resolve) => setTimeout(resolve, 7000))
    other.exec('COMMIT')
    other.close()
    expect((await waitForEnd(engine, run.id)).state).toBe('shipped')
  }, 30_000)

  it('after a setup command, cancel and recovery know the agent, not the finished setup', async () => {
    const repo = join(dir, 'repo')
    mkdirSync(repo)
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, '-c', 'user.name=T', '-c', 'user.email=t@t', ...args])
    git('init', '-q')
    writeFileSync(join(repo, 'README.md'), 'hi\n')
    git('add', '.')
    git('commit', '-qm', 'init')
    agent('bob', ['hang'], { workspace: repo, setup: ['true'] })
    const run = dispatch('Set up first')
    const [agentPid] = await pidsOf(run.id)
    await waitFor(
      () => row(run.id).child_pid,
      (pid) => pid === agentPid,
      'the agent pid recorded',
    )
    process.kill(row(run.id).supervisor_pid as number, 'SIGKILL')
    await waitFor(
      () => isAlive(row(run.id).supervisor_pid as number),
      (alive) => !alive,
      'supervisor gone',
    )
    expect(engine.recoverRuns()).toEqual([run.id])
    await allGone(await pidsOf(run.id))
  })

  it('never signals a pid that now belongs to another process', async () => {
    const { run, pids } = await hangingRun('Reused pid')
    const supervisor = row(run.id).supervisor_pid as number
    const stranger = spawn('sleep', ['30'], { stdio: 'ignore' })
    // As after a reboot: the recorded pids now name unrelated processes.
    engine.ledger.sqlite
      .prepare('UPDATE runs SET supervisor_pid = ?, child_pid = ? WHERE id = ?')
      .run(stranger.pid, stranger.pid, run.id)
    expect(engine.recoverRuns()).toEqual([run.id])
    expect(isAlive(stranger.pid!)).toBe(true)
    stranger.kill('SIGKILL')
    // Its own agent was found by its environment and stopped; its supervisor, which the ledger
    // no longer names, then ends by itself (awaited, so the folder is not removed under it).
    await allGone([...pids, supervisor])
  })

  it('is not marked lost by a host that spells the ledger path differently', async () => {
    const { run } = await hangingRun('Two spellings')
    const link = join(dir, '..', `${dir.split('/').pop()}-link`)
    symlinkSync(dir, link)
    const other = createEngine({ dbPath: join(link, 'ledger.db') })
    expect(other.recoverRuns()).toEqual([])
    other.close()
    rmSync(link)
    engine.call('run/cancel', { id: run.id }, 'test')
    await waitForEnd(engine, run.id)
  })

  it('is marked lost when its supervisor is a zombie nobody reaps', async () => {
    const { run, pids } = await hangingRun('Zombie supervisor')
    const supervisor = row(run.id).supervisor_pid as number
    const zombie = await unreapedZombie()
    expect(isAlive(zombie.pid)).toBe(false)
    // As under a PID 1 that never reaps: the recorded supervisor exited but its pid still answers.
    engine.ledger.sqlite
      .prepare('UPDATE runs SET supervisor_pid = ?, supervisor_identity = ? WHERE id = ?')
      .run(zombie.pid, processIdentity(zombie.pid), run.id)
    process.kill(row(run.id).supervisor_pid as number, 0) // the zombie does answer signals
    expect(engine.recoverRuns()).toEqual([run.id])
    await allGone([...pids, supervisor])
    zombie.parent.kill('SIGKILL')
  })
})

describe('a run whose supervisor is not named yet', () => {
  /** Dispatched through a "supervisor" that exits at once, then as if nothing had named it. */
  function unnamed(dispatcher: { pid: number; identity: string | null }) {
    const quiet = createEngine({
      dbPath: join(dir, 'ledger.db'),
      supervisor: { argv: ['true'], env: {} },
    })
    quiet.call(
      'agent/add',
      { name: 'bob', runner: 'command', command: fixtureCommand('hang') },
      'test',
    )
    const spec = quiet.call('spec/add', { title: 'Unnamed' }, 'test').id
    const run = quiet.call('run/dispatch', { spec, agent: 'bob' }, 'test')
    quiet.close()
    engine.ledger.sqlite
      .prepare(
        `UPDATE runs SET supervisor_pid = NULL, supervisor_identity = NULL, dispatcher_pid = ?,
         dispatcher_identity = ?, created_at = created_at - 3600000 WHERE id = ?`,
      )
      .run(dispatcher.pid, dispatcher.identity, run.id)
    return run
  }

  it('waits for the dispatcher while it lives, however long ago it started', () => {
    const run = unnamed({ pid: process.pid, identity: processIdentity(process.pid) })
    expect(engine.recoverRuns()).toEqual([])
    expect(row(run.id).state).toBe('starting')
  })

  it('is lost at once when its dispatcher died, and a supervisor arriving late starts nothing', async () => {
    const gone = spawn('true')
    await new Promise((resolve) => gone.on('exit', resolve))
    const run = unnamed({ pid: gone.pid!, identity: 'a process that ended' })
    expect(engine.recoverRuns()).toEqual([run.id])
    expect(engine.call('run/get', { id: run.id }, 'test')).toMatchObject({
      state: 'lost',
      failure: { message: 'its supervisor never started; the log is kept' },
    })
    // The supervisor the dead dispatcher had just started: it finds the run given up and leaves.
    const late = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        join(import.meta.dirname, 'supervisorMain.ts'),
        '--db',
        join(dir, 'ledger.db'),
        '--artifacts',
        join(dir, 'artifacts'),
        '--run',
        run.id,
      ],
      { stdio: 'ignore' },
    )
    expect(await new Promise((resolve) => late.on('exit', resolve))).toBe(0)
    expect(existsSync(join(dir, 'ledger.db.files', 'runs', run.id, 'output', 'pids.json'))).toBe(
      false,
    )
    expect(row(run.id).state).toBe('lost')
  })
})

/** A child of a shell that then execs `sleep`, which never reaps it: a zombie for 30 s. */
async function unreapedZombie(): Promise<{ pid: number; parent: ReturnType<typeof spawn> }> {
  const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 30'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  })
  const pid = await new Promise<number>((resolve) =>
    parent.stdout!.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
  )
  await waitFor(
    () => readFileSync(`/proc/${pid}/stat`, 'utf8'),
    (stat) => stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z',
    'the child to become a zombie',
  )
  return { pid, parent }
}
