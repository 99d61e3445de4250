// The queue under real concurrency: separate `factory drain` processes (the real CLI, from source)
// racing over one directory. Every spec must be done exactly once; a drainer killed mid-run must
// not take its spec with it; a long run whose claim is renewed must not be taken from it.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { isAlive } from '../runs/processTree'
import { tempDirs, waitFor } from '../runs/testing'
import { ensureQueue, publishSpec } from './maildir'
import { formatQueueSpec } from './specFile'

const CLI = fileURLToPath(new URL('../../../cli/main.ts', import.meta.url))
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const AGENT = fileURLToPath(new URL('./fixtures/queue-agent.sh', import.meta.url))

const dirs = tempDirs()
const started: ChildProcess[] = []
const leftovers: number[] = []
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
  for (const pid of leftovers.splice(0)) if (isAlive(pid)) process.kill(-pid, 'SIGKILL')
  dirs.removeAll()
})

interface Drainer {
  child: ChildProcess
  output: { stdout: string; stderr: string }
  exited: Promise<number | null>
}

/** `factory drain --queue QUEUE ARGS…` as its own process, with no ledger anywhere near it. */
function drainer(queue: string, ...args: string[]): Drainer {
  const child = spawn(
    process.execPath,
    ['--import', TSX, CLI, 'drain', '--queue', queue, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its scratch folders go beside the queue, where the test can see them.
      env: {
        ...process.env,
        FACTORY_DB: join(queue, '..', 'no-ledger-here.db'),
        TMPDIR: join(queue, '..'),
      },
    },
  )
  started.push(child)
  const output = { stdout: '', stderr: '' }
  child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return { child, output, exited }
}

function queueOf(count: number): { queue: string; ids: string[] } {
  const queue = join(dirs.make('factory-race-'), 'queue')
  ensureQueue(queue)
  const ids: string[] = []
  for (let n = 1; n <= count; n++) {
    const item = { id: `r_${n}-race`, run: `r_${n}`, spec: `s_${n}`, title: `spec ${n}` }
    publishSpec(
      queue,
      item.id,
      formatQueueSpec({ ...item, created: '2026-01-01' }, `# spec ${n}\n`),
    )
    ids.push(item.id)
  }
  return { queue, ids }
}

/** The pid the first attempt of `hang-once` wrote, once it has started. */
function firstAttempt(pidFile: string): Promise<number> {
  return waitFor(
    () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : 0),
    (found) => found > 0,
    'the first attempt to start',
  )
}

/** The drainer's watchdog: its child running `node -e`. */
function watchdogsOf(drainerPid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
        return (
          ppid === drainerPid && readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('\0-e\0')
        )
      } catch {
        return false
      }
    })
    .map(Number)
}

const list = (queue: string, folder: string): string[] => readdirSync(join(queue, folder)).sort()
const lines = (text: string): string[] => text.split('\n').filter(Boolean)

const SPECS = 400

describe('the queue race', () => {
  // 100 claims per drainer is contention enough to catch a double claim (1,000 took 28 s).
  it('4 drainers × 400 specs: each done exactly once, none lost', async () => {
    const { queue, ids } = queueOf(SPECS)
    const log = join(queue, '..', 'ran.log')
    const drainers = Array.from({ length: 4 }, () =>
      drainer(queue, '--until-empty', '--', '/bin/sh', AGENT, 'record', log),
    )
    const codes = await Promise.all(drainers.map((d) => d.exited))
    expect(codes, drainers.map((d) => d.output.stderr).join('\n')).toEqual([0, 0, 0, 0])

    // Ran once each: every run id in the agents' own log exactly once, from its claimed file.
    const ran = lines(readFileSync(log, 'utf8')).map((line) => line.split(' '))
    expect(ran).toHaveLength(SPECS)
    expect(new Set(ran.map(([run]) => run)).size).toBe(SPECS)
    for (const [run, file] of ran) expect(file).toBe(join(queue, 'cur', `${run}-race.md`))
    // Reported once each, across the drainers, and every one has its result.
    const reported = drainers.flatMap((d) => lines(d.output.stdout))
    expect(reported.sort()).toEqual(ids.map((id) => `${id} done`).sort())
    expect(list(queue, 'done').filter((n) => n.endsWith('.result.json'))).toHaveLength(SPECS)
    for (const folder of ['new', 'cur', 'failed', 'tmp']) expect(list(queue, folder)).toEqual([])
    expect(existsSync(join(queue, '..', 'no-ledger-here.db'))).toBe(false)
  }, 120_000)

  it('a drainer killed mid-run: its claim returns after the stale timeout and another completes it', async () => {
    const { queue, ids } = queueOf(1)
    const pidFile = join(queue, '..', 'first-attempt.pid')
    const command = ['--stale', '1s', '--', '/bin/sh', AGENT, 'hang-once', pidFile]
    const first = drainer(queue, ...command)
    const pid = await firstAttempt(pidFile)
    leftovers.push(pid)
    first.child.kill('SIGKILL')
    await first.exited
    // Its agent went with it (its watchdog saw to that). The claim is all that is left.
    await waitFor(
      () => isAlive(pid),
      (alive) => !alive,
      'the agent to stop with its drainer',
      5000,
    )
    expect(list(queue, 'cur')).toEqual([`${ids[0]}.md`])

    const second = drainer(queue, '--once', ...command)
    expect(await second.exited, second.output.stderr).toBe(0)
    expect(second.output.stderr).toContain(`${ids[0]}: its claim was not renewed`)
    expect(second.output.stdout).toBe(`${ids[0]} done\n`)
    expect(readFileSync(`${pidFile}.done`, 'utf8')).toBe('r_1\n')
    expect(list(queue, 'done')).toEqual([ids[0], `${ids[0]}.result.json`])
    for (const folder of ['new', 'cur', 'failed']) expect(list(queue, folder)).toEqual([])
  })

  it('a drainer killed with -9 takes its agent with it, and its scratch folder', async () => {
    const { queue } = queueOf(1)
    const pidFile = join(queue, '..', 'first-attempt.pid')
    const first = drainer(queue, '--', '/bin/sh', AGENT, 'hang-once', pidFile)
    const pid = await firstAttempt(pidFile)
    leftovers.push(pid)
    const scratch = (): string[] =>
      readdirSync(join(queue, '..')).filter((name) => name.startsWith('factory-drain-'))
    expect(scratch()).toHaveLength(1)
    first.child.kill('SIGKILL')
    await waitFor(
      () => isAlive(pid),
      (alive) => !alive,
      'the agent to stop with its drainer',
      5000,
    )
    await waitFor(scratch, (left) => left.length === 0, 'the scratch folder to go', 5000)
  })

  it('a claim whose agent outlived its drainer and watchdog is not run again while it works', async () => {
    const { queue, ids } = queueOf(1)
    const pidFile = join(queue, '..', 'first-attempt.pid')
    const command = ['--stale', '1s', '--', '/bin/sh', AGENT, 'hang-once', pidFile]
    const first = drainer(queue, ...command)
    const pid = await firstAttempt(pidFile)
    leftovers.push(pid)
    // Drainer and watchdog both gone at once, as under an OOM killer.
    for (const watchdog of watchdogsOf(first.child.pid!)) process.kill(watchdog, 'SIGKILL')
    first.child.kill('SIGKILL')
    await first.exited
    expect(isAlive(pid)).toBe(true)

    const second = drainer(queue, '--once', ...command)
    expect(await second.exited, second.output.stderr).toBe(0)
    expect(second.output.stdout).toBe(`${ids[0]} done\n`)
    // The second attempt ran alone: the orphan was stopped before the claim went back.
    expect(readFileSync(`${pidFile}.done`, 'utf8')).toBe('r_1\n')
    expect(isAlive(pid)).toBe(false)
  })

  it('a claim renewed while its command runs longer than the stale timeout stays its own', async () => {
    const { queue, ids } = queueOf(1)
    const log = join(queue, '..', 'ran.log')
    const worker = drainer(
      queue,
      '--stale',
      '1s',
      '--once',
      '--',
      '/bin/sh',
      AGENT,
      'slow',
      log,
      '3',
    )
    await waitFor(
      () => list(queue, 'cur'),
      (cur) => cur.length === 1,
      'the claim',
    )
    // A second drainer watching for stale claims (and claiming any, printing its path) meanwhile.
    const watcher = drainer(queue, '--stale', '1s', '--once')
    expect(await worker.exited, worker.output.stderr).toBe(0)
    watcher.child.kill('SIGTERM')
    expect(await watcher.exited).toBe(0)
    // It took nothing and returned nothing: it only said, once, that it was waiting.
    expect(watcher.output).toEqual({
      stdout: '',
      stderr: `factory drain: waiting for specs in ${queue}/new (Ctrl-C stops)\n`,
    })
    expect(readFileSync(log, 'utf8')).toBe('r_1\n')
    expect(list(queue, 'done')).toEqual([ids[0], `${ids[0]}.result.json`])
  })
})
