// The `factory` run commands end to end: each call is a fresh CLI process's worth of work (its own
// engine on the same ledger), the runs are real detached supervisors driving the fixture agent.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { NO_USAGE } from '../../shared/runs'
import { tempDir } from '../core/testing'
import { isAlive } from '../core/software/runs/processTree'
import { FIXTURE_AGENT, stopLeftoverRuns, waitFor } from '../core/software/runs/testing'
import { openLedger } from '../core/db/ledger'
import { cliOn } from './testing'

let dir: string
let cleanup: () => void
beforeEach(() => ({ dir, cleanup } = tempDir('factory-cli-runs-')))
afterEach(() => {
  stopLeftoverRuns(join(dir, 'ledger.db'))
  cleanup()
})

const factory = cliOn(() => join(dir, 'ledger.db'))

/** A --command value: the fixture agent with a scenario, quoted as a person would type it. */
const fixture = (scenario: string): string => `"${process.execPath}" "${FIXTURE_AGENT}" ${scenario}`

/** `factory agent add bob` as a command agent running the fixture, with any further options. */
const addAgent = (scenario: string, ...options: string[]): ReturnType<typeof factory> =>
  factory('agent', 'add', 'bob', '--runner', 'command', '--command', fixture(scenario), ...options)

async function agentAndSpec(scenario: string): Promise<void> {
  expect((await addAgent(scenario)).code).toBe(0)
  expect((await factory('spec', 'add', '--title', 'Hello page')).code).toBe(0)
}

describe('factory run commands', () => {
  it('agent add stores the command, workspace, timeout and setup; dispatch --wait ships; runs, run show, run log and run retry', async () => {
    const workspace = tempDir('factory-cli-workspace-')
    try {
      const added = await addAgent(
        'ship',
        '--workspace',
        workspace.dir,
        '--timeout',
        '2h',
        '--setup',
        fixture('done'),
        '--json',
      )
      expect(added.code).toBe(0)
      expect(added.json()).toMatchObject({
        name: 'bob',
        runner: 'command',
        command: [process.execPath, FIXTURE_AGENT, 'ship'],
        workspace: workspace.dir,
        timeoutMs: 2 * 3_600_000,
        setup: [process.execPath, FIXTURE_AGENT, 'done'],
      })
      await factory('spec', 'add', '--title', 'Hello page')

      const dispatched = await factory('dispatch', 's_1', '--agent', 'bob', '--wait', '--json')
      expect(dispatched.code).toBe(0)
      const run = dispatched.json()
      expect(run).toMatchObject({
        id: 'r_1',
        specId: 's_1',
        agent: 'bob',
        state: 'shipped',
        failure: null,
        exitCode: 0,
        usage: NO_USAGE,
        timeoutMs: 2 * 3_600_000,
        artifact: { name: 'hello', version: '1.0.0', url: 'https://example.com/hello' },
      })

      const runs = await factory('runs', '--json')
      expect(runs.code).toBe(0)
      expect(runs.json()).toEqual([expect.objectContaining({ id: 'r_1', state: 'shipped' })])

      const shown = await factory('run', 'show', 'r_1')
      expect(shown.code).toBe(0)
      expect(shown.stdout).toMatch(/^r_1 {2}s_1 on bob \(command\) {2}shipped\n/)
      expect(shown.stdout).toContain('artifact hello 1.0.0 · https://example.com/hello')

      // The raw log, byte for byte: the setup command first, then the agent.
      const log = await factory('run', 'log', 'r_1')
      expect(log.code).toBe(0)
      expect(log.raw).toBe(
        readFileSync(join(dir, 'ledger.db.files', 'runs', 'r_1', 'output.log'), 'utf8'),
      )
      expect(log.raw).toContain(
        `$ ${process.execPath} ${FIXTURE_AGENT} done\nlooked at: Hello page\n`,
      )
      expect(log.raw).toContain('shipped hello 1.0.0')

      const retried = await factory('run', 'retry', 'r_1', '--wait', '--json')
      expect(retried.code).toBe(0)
      expect(retried.json()).toMatchObject({ id: 'r_2', specId: 's_1', state: 'shipped' })
    } finally {
      workspace.cleanup()
    }
  })

  it('dispatch --wait exits 1 when the run fails, and prints why', async () => {
    await agentAndSpec('fail')
    const failed = await factory('dispatch', 's_1', '--agent', 'bob', '--wait', '--json')
    expect(failed.code).toBe(1)
    expect(failed.json()).toMatchObject({
      id: 'r_1',
      state: 'failed',
      exitCode: 3,
      failure: { class: 'crashed', message: 'exited with code 3' },
    })
    const text = await factory('run', 'show', 'r_1')
    expect(text.code).toBe(1)
    expect(text.stdout).toContain('failure crashed: exited with code 3')
    expect(text.stdout).toContain('error: the build failed (tsc: 3 errors)')
  })

  it('run cancel stops a hanging run; it ends cancelled', async () => {
    await agentAndSpec('hang')
    const started = await factory('dispatch', 's_1', '--agent', 'bob', '--json')
    expect(started.code).toBe(0)
    expect(started.json()).toMatchObject({ id: 'r_1', state: 'starting' })
    const pidsFile = join(dir, 'ledger.db.files', 'runs', 'r_1', 'output', 'pids.json')
    await waitFor(() => existsSync(pidsFile), Boolean, 'the fixture to record its pids')

    const cancelled = await factory('run', 'cancel', 'r_1', '--json')
    expect(cancelled.json()).toMatchObject({
      id: 'r_1',
      state: 'failed',
      failure: { class: 'cancelled' },
    })
    // The cancel did what was asked: that is success, whatever state the run ended in.
    expect(cancelled.code).toBe(0)
    const pids = JSON.parse(readFileSync(pidsFile, 'utf8')) as number[]
    await waitFor(
      () => pids.filter(isAlive),
      (alive) => alive.length === 0,
      'every process of the run to stop',
      5000,
    )
  })

  it('run log prints a log larger than one read byte for byte, multi-byte characters included; --json stays JSON', async () => {
    await agentAndSpec(`flood 15000 ${'é€'.repeat(12)}`)
    expect((await factory('dispatch', 's_1', '--agent', 'bob', '--wait', '--json')).code).toBe(0)
    const bytes = readFileSync(join(dir, 'ledger.db.files', 'runs', 'r_1', 'output.log'))
    const text = bytes.toString('utf8')
    // The premise: the log is read 1 MiB at a time, and the first read ends inside a character.
    expect(bytes.length).toBeGreaterThan(1_048_576)
    expect(bytes[1_048_576]! & 0xc0).toBe(0x80)

    for (const argv of [[], ['--raw']]) {
      const log = await factory('run', 'log', 'r_1', ...argv)
      expect(log.code).toBe(0)
      expect(log.raw.length).toBe(text.length)
      expect(log.raw === text).toBe(true)
    }

    const json = await factory('run', 'log', 'r_1', '--json')
    expect(json.code).toBe(0)
    expect(json.raw).toBe('')
    const parsed = json.json()
    expect(parsed).toMatchObject({ run: 'r_1', bytes: bytes.length })
    expect(parsed.text === text).toBe(true)
  })

  it('run log keeps an agent’s colours and shows what would retitle or clear the terminal; --raw gives the bytes', async () => {
    await agentAndSpec('hostile')
    expect((await factory('dispatch', 's_1', '--agent', 'bob', '--wait')).code).toBe(0)
    const log = await factory('run', 'log', 'r_1')
    expect(log.code).toBe(0)
    expect(log.raw).toBe('\u001b[32mok\u001b[0m \\x1b]0;pwned\\x07\\x1b[2J 10%\n100%\n')
    // A command agent reports no usage: said so, not shown as zero spent.
    expect((await factory('run', 'show', 'r_1')).stdout).toContain('no usage reported')
    const raw = await factory('run', 'log', 'r_1', '--raw')
    expect(raw.raw).toBe('\u001b[32mok\u001b[0m \u001b]0;pwned\u0007\u001b[2J 10%\r100%\n')
  })

  it('rejects a timeout that is not a duration as a usage error', async () => {
    const bad = await addAgent('ship', '--timeout', 'banana')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain(
      '--timeout takes a duration like 90s, 30m, 2h or 1h30m, not "banana"',
    )
    // Nothing written, not even a ledger; a reading command then says there is none.
    expect(existsSync(join(dir, 'ledger.db'))).toBe(false)
    const list = await factory('agent', 'list')
    expect(list.code).toBe(1)
    expect(list.stderr).toContain('there is no ledger at')
    expect(existsSync(join(dir, 'ledger.db'))).toBe(false)
  })

  it('a run whose supervisor died reads as lost with no app open, and its agent is stopped', async () => {
    await agentAndSpec('hang')
    expect((await factory('dispatch', 's_1', '--agent', 'bob')).code).toBe(0)
    const pidsFile = join(dir, 'ledger.db.files', 'runs', 'r_1', 'output', 'pids.json')
    await waitFor(() => existsSync(pidsFile), Boolean, 'the agent to start')
    const [agentPid] = JSON.parse(readFileSync(pidsFile, 'utf8')) as number[]
    const ledger = openLedger({ path: join(dir, 'ledger.db') })
    const { pid } = ledger.sqlite.prepare('SELECT supervisor_pid AS pid FROM runs').get() as {
      pid: number
    }
    ledger.close()
    process.kill(pid, 'SIGKILL')
    await waitFor(
      () => isAlive(pid),
      (alive) => !alive,
      'the supervisor to die',
    )
    const listed = (await factory('spec', 'list', '--json')).json()
    expect(listed[0].run).toMatchObject({ id: 'r_1', state: 'lost' })
    expect((await factory('runs', '--json')).json()[0].state).toBe('lost')
    await waitFor(
      () => isAlive(agentPid!),
      (alive) => !alive,
      'the orphaned agent to stop',
    )
  })
})
