// Two ledgers in one folder, side by side: run ids restart at r_1 in each, yet each ledger's run
// files, logs, process markers, cancels and recovery are its own, for local and queued runs alike.
import { existsSync, readFileSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openLedger } from '../core/db/ledger'
import { createEngine } from '../core/engine'
import { tempDir } from '../core/testing'
import { isAlive } from '../core/software/runs/processTree'
import { FIXTURE_AGENT, stopLeftoverRuns, waitFor } from '../core/software/runs/testing'
import { cliOn } from './testing'

let dir: string
let cleanup: () => void
beforeEach(() => ({ dir, cleanup } = tempDir('factory-side-by-side-')))
afterEach(() => {
  for (const name of ['a.db', 'b.db']) stopLeftoverRuns(join(dir, name))
  cleanup()
})

const on = (name: string) => cliOn(() => join(dir, name))
const fixture = (scenario: string): string => `"${process.execPath}" "${FIXTURE_AGENT}" ${scenario}`

async function runOn(name: string, title: string, scenario: string, ...more: string[]) {
  const factory = on(name)
  await factory('agent', 'add', 'bob', '--runner', 'command', '--command', fixture(scenario))
  await factory('spec', 'add', '--title', title)
  const run = await factory('dispatch', 's_1', '--agent', 'bob', '--json', ...more)
  expect(run.code, run.stderr).toBe(0)
  return run.json().id as string
}

const pidsOf = (name: string, run: string): number[] =>
  JSON.parse(readFileSync(join(dir, `${name}.files`, 'runs', run, 'output', 'pids.json'), 'utf8'))

describe('two ledgers in one folder', () => {
  it('each prints its own log for r_1', async () => {
    const a = await runOn('a.db', 'Alpha page', 'echo', '--wait')
    const b = await runOn('b.db', 'Beta page', 'echo', '--wait')
    expect([a, b]).toEqual(['r_1', 'r_1'])
    for (const [name, mine, theirs] of [
      ['a.db', 'Alpha page', 'Beta page'],
      ['b.db', 'Beta page', 'Alpha page'],
    ] as const) {
      const factory = on(name)
      const log = await factory('run', 'log', 'r_1')
      expect(log.raw).toContain(mine)
      expect(log.raw).not.toContain(theirs)
    }
  })

  it('cancelling r_1 in one stops its agent only; recovery in one leaves the other alone', async () => {
    await runOn('a.db', 'Alpha page', 'hang')
    await runOn('b.db', 'Beta page', 'hang')
    for (const name of ['a.db', 'b.db']) {
      await waitFor(
        () => existsSync(join(dir, `${name}.files`, 'runs', 'r_1', 'output', 'pids.json')),
        Boolean,
        `${name}'s agent to start`,
      )
    }
    const [bAgent] = pidsOf('b.db', 'r_1')
    // Recovery in a: its own run is alive, b's is not a's business.
    const a = createEngine({ dbPath: join(dir, 'a.db') })
    a.recoverRuns()
    a.close()
    expect(isAlive(bAgent!)).toBe(true)

    const cancelled = await on('a.db')('run', 'cancel', 'r_1', '--json')
    expect(cancelled.code, cancelled.stderr).toBe(0)
    const [aAgent] = pidsOf('a.db', 'r_1')
    await waitFor(
      () => isAlive(aAgent!),
      (alive) => !alive,
      "a's agent to stop",
    )
    expect(isAlive(bAgent!)).toBe(true)
    const b = await on('b.db')('run', 'show', 'r_1', '--json')
    expect(b.json().state).toBe('running')
  })

  it('queued runs keep their own spec files', async () => {
    for (const [name, title] of [
      ['a.db', 'Alpha page'],
      ['b.db', 'Beta page'],
    ] as const) {
      const factory = on(name)
      await factory('agent', 'add', 'alice', '--queue', join(dir, `${name}-queue`))
      await factory('spec', 'add', '--title', title)
      const queued = await factory('enqueue', 's_1', '--target', 'alice', '--json')
      expect(queued.code, queued.stderr).toBe(0)
      expect(queued.json().id).toBe('r_1')
    }
    for (const [name, title] of [
      ['a.db', 'Alpha page'],
      ['b.db', 'Beta page'],
    ] as const) {
      const spec = readFileSync(join(dir, `${name}.files`, 'runs', 'r_1', 'spec.md'), 'utf8')
      expect(spec).toContain(title)
    }
  })

  it('a ledger from before keeps reading its runs where they were written', async () => {
    await runOn('a.db', 'Alpha page', 'echo', '--wait')
    // The layout before: run folders beside the ledger, the row naming that folder.
    const old = join(dir, 'runs', 'r_1')
    renameSync(join(dir, 'a.db.files', 'runs'), join(dir, 'runs'))
    const ledger = openLedger({ path: join(dir, 'a.db') })
    ledger.sqlite.prepare('UPDATE runs SET run_dir = ?').run(old)
    ledger.close()
    const factory = on('a.db')
    expect((await factory('run', 'log', 'r_1')).raw).toContain('Alpha page')
    await factory('spec', 'add', '--title', 'Second page')
    expect((await factory('dispatch', 's_2', '--agent', 'bob', '--wait')).code).toBe(0)
    expect(readFileSync(join(dir, 'a.db.files', 'runs', 'r_2', 'output.log'), 'utf8')).toContain(
      'Second page',
    )
  })
})
