// The crash loop: real `factory` processes (dispatch, drain, runs) and the supervisors they start,
// killed with -9 at random moments while they overlap, on one ledger with a local lane and a queue
// lane. Afterwards, once everything is recovered and drained, the invariants a user relies on:
// every run ended exactly once, no spec was ever worked on by two agents at the same moment (seen
// by sampling /proc the whole time), no local run's agent ran twice, nothing claims to be done that
// did not run, no process or scratch folder is left, the ledger is intact and the queue is empty.
// Seeded and bounded: CRASH_LOOP_SEED=N replays the same schedule (timing still varies).
import { seededRandom } from '../../shared/seededRandom'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import Database from 'better-sqlite3'
import { afterEach, expect, it } from 'vitest'
import { tempDir } from '../core/testing'
import { isAlive, parentOf } from '../core/software/runs/processTree'
import { stopLeftoverRuns } from '../core/software/runs/testing'
import { cliOn } from './testing'

const CLI = fileURLToPath(new URL('./main.ts', import.meta.url))
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
const AGENT = fileURLToPath(
  new URL('../core/software/queue/fixtures/queue-agent.sh', import.meta.url),
)
const SEED = Number(process.env.CRASH_LOOP_SEED ?? Math.floor(Math.random() * 2 ** 31))
const SPECS = 10
const ACTIONS = 28
/** How long a queue agent may outlive its killed drainer (a 2-core machine under load). */
const ORPHAN_MOMENT_MS = 2000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let place: { dir: string; cleanup: () => void } | undefined
const started: ChildProcess[] = []
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
  if (!place) return
  stopLeftoverRuns(join(place.dir, 'ledger.db'))
  for (const pid of processesUnder(place.dir)) killQuietly(pid)
  place.cleanup()
  place = undefined
})

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // gone already
  }
}

/** A live process's environment, or nothing (gone, a zombie, another user's). */
function environOf(pid: number): Map<string, string> | undefined {
  try {
    const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')
    if (entries.length < 2 || !isAlive(pid)) return undefined
    return new Map(
      entries.map((entry) => [
        entry.slice(0, entry.indexOf('=')),
        entry.slice(entry.indexOf('=') + 1),
      ]),
    )
  } catch {
    return undefined
  }
}

function pids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => pid !== process.pid)
}

function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
  } catch {
    return ''
  }
}

/** Every live process this test's folder shows in: in its environment or its command line. */
function processesUnder(dir: string): number[] {
  return pids().filter((pid) => {
    const env = environOf(pid)
    if (!env) return false
    return [...env.values()].some((value) => value.includes(dir)) || cmdlineOf(pid).includes(dir)
  })
}

it(`kill -9 at random points of dispatch, supervise, drain and recover (seed ${SEED})`, async () => {
  place = tempDir('factory-crash-loop-')
  const dir = place.dir
  const db = join(dir, 'ledger.db')
  const queue = join(dir, 'queue')
  const scratch = join(dir, 'drain-scratch')
  const localLog = join(dir, 'local.log')
  const remoteLog = join(dir, 'remote.log')
  mkdirSync(scratch)
  const factory = cliOn(() => db)
  const random = seededRandom(SEED)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const between = (low: number, high: number) => Math.round(low + random() * (high - low))
  const context = `seed ${SEED} (replay with CRASH_LOOP_SEED=${SEED})`

  const agentCommand = (log: string) => `/bin/sh "${AGENT}" slow "${log}" 1`
  const addBob = ['agent', 'add', 'bob', '--runner', 'command', '--max-concurrent', '2']
  expect((await factory(...addBob, '--command', agentCommand(localLog))).code).toBe(0)
  expect(
    (await factory('agent', 'add', 'remote', '--queue', queue, '--max-concurrent', '3')).code,
  ).toBe(0)
  for (let n = 1; n <= SPECS; n++) {
    // (named in the body too: that is what a queue's agent is given)
    const name = `crash-loop spec ${n}`
    expect((await factory('spec', 'add', '--title', name, '--body', name)).code).toBe(0)
  }

  // The sampler: which spec each live agent works on, read from the spec file it was given.
  const specOfPid = new Map<number, string | null>()
  const overlaps: string[] = []
  // A queue agent's drainer, found at first sight; an agent still alive well after its drainer
  // died outlived it (the watchdog stops it within a moment).
  const drainerOfPid = new Map<number, number | null>()
  const orphanedAt = new Map<number, number>()
  const orphans: string[] = []
  const watchDrainer = (pid: number) => {
    if (!drainerOfPid.has(pid)) {
      let drainer = parentOf(pid)
      while (drainer && drainer > 1 && !cmdlineOf(drainer).includes(' drain ')) {
        drainer = parentOf(drainer)
      }
      drainerOfPid.set(pid, drainer && drainer > 1 ? drainer : null)
    }
    const drainer = drainerOfPid.get(pid)
    if (!drainer || isAlive(drainer)) return
    const since = orphanedAt.get(pid) ?? Date.now()
    orphanedAt.set(pid, since)
    if (Date.now() - since > ORPHAN_MOMENT_MS && !orphans.some((o) => o.startsWith(`${pid} `))) {
      orphans.push(`${pid} ${cmdlineOf(pid)} (drainer ${drainer})`)
    }
  }
  const sample = () => {
    const working = new Map<string, Set<string>>() // spec → output folders of live agents
    for (const pid of pids()) {
      const env = environOf(pid)
      const output = env?.get('FACTORY_OUTPUT_DIR')
      const specFile = env?.get('FACTORY_SPEC_FILE')
      if (!output || !specFile || !output.includes(dir)) continue
      if (!specOfPid.has(pid)) {
        let spec: string | null = null
        try {
          spec = /crash-loop spec (\d+)/.exec(readFileSync(specFile, 'utf8'))?.[1] ?? null
        } catch {
          // its spec file is gone already: it is ending
        }
        specOfPid.set(pid, spec)
      }
      if (env?.has('FACTORY_QUEUE_FILE')) watchDrainer(pid)
      const spec = specOfPid.get(pid)
      if (!spec) continue
      working.set(spec, (working.get(spec) ?? new Set()).add(output))
    }
    for (const [spec, outputs] of working) {
      if (outputs.size > 1) overlaps.push(`spec ${spec}: ${[...outputs].join(' and ')}`)
    }
  }
  const sampler = setInterval(sample, 40)

  const env = { ...process.env, FACTORY_DB: db, TMPDIR: scratch }
  const run = (args: string[], killAfterMs?: number): Promise<number | null> => {
    const child = spawn(process.execPath, ['--import', TSX, CLI, ...args], {
      stdio: 'ignore',
      env,
    })
    started.push(child)
    const timer =
      killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs)
    return new Promise((resolve) =>
      child.on('close', (code) => {
        clearTimeout(timer)
        resolve(code)
      }),
    )
  }
  const supervisors = () =>
    pids().filter((pid) => {
      const cmdline = cmdlineOf(pid)
      return cmdline.includes('supervisor') && cmdline.includes(db) && isAlive(pid)
    })
  const drain = (...tail: string[]) => ['drain', '--queue', queue, '--stale', '1s', ...tail]

  const actions: Promise<unknown>[] = []
  let killedSupervisors = 0
  // One run on each lane whatever the seed, so that every schedule has runs to kill around.
  const schedule = ['dispatch s_1 bob', 'dispatch s_2 remote']
  actions.push(
    run(['dispatch', 's_1', '--agent', 'bob']),
    run(['dispatch', 's_2', '--agent', 'remote']),
  )
  for (let n = 0; n < ACTIONS; n++) {
    await sleep(between(100, 400))
    const kind = pick([
      'dispatch',
      'dispatch',
      'dispatch',
      'supervisor',
      'drain',
      'drain',
      'drain',
      'recover',
    ])
    if (kind === 'dispatch') {
      // A CLI takes one to two seconds to start under this load: a third of the dispatches are left
      // alone so that runs exist at all, the rest die anywhere from start-up to the supervisor.
      const spec = `s_${between(1, SPECS)}`
      const agent = pick(['bob', 'remote', 'remote'])
      const after = random() < 1 / 3 ? undefined : between(300, 4000)
      schedule.push(`dispatch ${spec} ${agent} ${after === undefined ? '' : `✝${after}`}`)
      actions.push(run(['dispatch', spec, '--agent', agent], after))
    } else if (kind === 'supervisor') {
      // Supervisors live for about a second: wait for one, then kill it at a random point.
      const after = between(0, 800)
      schedule.push(`kill a supervisor ✝${after}`)
      actions.push(
        (async () => {
          const until = Date.now() + 2500
          while (supervisors().length === 0 && Date.now() < until) await sleep(50)
          await sleep(after)
          const alive = supervisors()
          if (alive.length > 0) {
            killQuietly(pick(alive))
            killedSupervisors++
          }
        })(),
      )
    } else if (kind === 'drain') {
      const after = between(500, 6000)
      schedule.push(`drain ✝${after}`)
      actions.push(run([...drain('--once'), '--', '/bin/sh', AGENT, 'slow', remoteLog, '3'], after))
    } else {
      const after = between(0, 2000)
      schedule.push(`recover ✝${after}`)
      actions.push(run(['runs'], after))
    }
  }
  await Promise.all(actions)

  // Settle: claims left by dead drainers go stale, a drainer nobody kills empties the queue, and a
  // reading command recovers until no run is active.
  await sleep(1500)
  const deadline = Date.now() + 40_000
  let active: { id: string; state: string }[] = []
  for (;;) {
    expect(
      await run([...drain('--until-empty'), '--', '/bin/sh', AGENT, 'record', remoteLog]),
    ).toBe(0)
    const listed = await factory('runs', '--json')
    active = (listed.json() as { id: string; state: string }[]).filter((r) =>
      ['queued', 'starting', 'running'].includes(r.state),
    )
    if (active.length === 0 || Date.now() > deadline) break
    await sleep(500)
  }
  clearInterval(sampler)
  const states = (await factory('runs', '--json')).json() as {
    id: string
    state: string
    agent: string
  }[]
  const details = [
    context,
    `${killedSupervisors} supervisors killed; runs: ${states.map((r) => `${r.id} ${r.agent} ${r.state}`).join(', ')}`,
    `schedule:\n  ${schedule.join('\n  ')}`,
  ].join('\n')
  expect(active, `runs still active after recovery; ${details}`).toEqual([])
  expect(overlaps, `a spec worked on by two agents at once; ${details}`).toEqual([])
  expect(orphans, `queue agents outlived their drainer; ${details}`).toEqual([])

  // Nothing left running: supervisors finish their last write and exit.
  const leftover = await (async () => {
    const until = Date.now() + 10_000
    for (;;) {
      const found = processesUnder(dir)
      if (found.length === 0 || Date.now() > until) return found.map((pid) => cmdlineOf(pid))
      await sleep(100)
    }
  })()
  expect(leftover, `processes left behind; ${details}`).toEqual([])

  const sqlite = new Database(db, { readonly: true })
  try {
    expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
    const rows = sqlite
      .prepare('SELECT id, spec_id AS spec, state, workspace_kind AS kind FROM runs')
      .all() as { id: string; spec: string; state: string; kind: string }[]
    const endings = sqlite
      .prepare(
        `SELECT subject, count(*) AS n FROM events
         WHERE type IN ('run.shipped', 'run.done', 'run.failed', 'run.lost') GROUP BY subject`,
      )
      .all() as { subject: string; n: number }[]
    const endedTimes = new Map(endings.map((row) => [row.subject, row.n]))
    for (const row of rows) {
      expect(endedTimes.get(row.id), `${row.id} (${row.state}) ended once; ${details}`).toBe(1)
    }
    // Each local run's agent starts once at most; a run that says done did the work.
    const recorded = (log: string) =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .trim()
            .split('\n')
            .map((line) => line.split(' ')[0]!)
        : []
    const local = recorded(localLog)
    const remote = new Set(recorded(remoteLog))
    for (const row of rows) {
      const times = local.filter((id) => id === row.id).length
      if (row.kind !== 'queue')
        expect(times, `${row.id} ran ${times}×; ${details}`).toBeLessThanOrEqual(1)
      if (row.state === 'done') {
        const did = row.kind === 'queue' ? remote.has(row.id) : times === 1
        expect(did, `${row.id} is done but its agent never finished; ${details}`).toBe(true)
      }
    }
    const claiming = sqlite
      .prepare(`SELECT id, status FROM specs WHERE status IN ('queued', 'running')`)
      .all()
    expect(claiming, `specs still claim work; ${details}`).toEqual([])
    expect(rows.length, `the schedule started no run at all; ${details}`).toBeGreaterThan(0)
  } finally {
    sqlite.close()
  }
  for (const folder of ['new', 'cur', 'tmp']) {
    expect(readdirSync(join(queue, folder)), `queue ${folder}/ not empty; ${details}`).toEqual([])
  }
  // (tsx keeps its cache there too; only the drainers' own folders count)
  const scratchLeft = readdirSync(scratch).filter((name) => name.startsWith('factory-'))
  expect(scratchLeft, `drainer scratch left behind; ${details}`).toEqual([])
}, 120_000)
