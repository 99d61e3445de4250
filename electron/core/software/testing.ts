// Test helpers for runs: an engine on a real ledger in a temp folder whose runs are real detached
// supervisors (from source, through tsx) driving the fixture agent.
import { fileURLToPath } from 'node:url'
import { ACTIVE_RUN_STATES, type Run, type RunId } from '../../../shared/runs'
import { createEngine, type Engine, type EngineOptions } from '../engine'
import { tempDir } from '../testing'
import { openLedger } from '../db/ledger'
import { isAlive, killTreeNow } from './processTree'

export const FIXTURE_AGENT = fileURLToPath(new URL('./fixtures/agent.mjs', import.meta.url))

export function runEngine(
  env: NodeJS.ProcessEnv = {},
  options: Partial<EngineOptions> = {},
): {
  engine: Engine
  dir: string
  cleanup: () => void
} {
  const { dir, cleanup } = tempDir('factory-runs-')
  const dbPath = `${dir}/ledger.db`
  const engine = createEngine({ dbPath, env: { ...process.env, ...env }, ...options })
  return {
    engine,
    dir,
    cleanup: () => {
      engine.close()
      // Stop anything a failed test left running before its folder goes (a test may have closed
      // and reopened its engine, so read the file afresh).
      const ledger = openLedger({ path: dbPath })
      const rows = ledger.sqlite
        .prepare('SELECT supervisor_pid AS supervisor, child_pid AS child FROM runs')
        .all() as { supervisor: number | null; child: number | null }[]
      ledger.close()
      for (const { supervisor, child } of rows) {
        if (supervisor && isAlive(supervisor)) process.kill(supervisor, 'SIGKILL')
        if (child && isAlive(child)) killTreeNow(child)
      }
      cleanup()
    },
  }
}

/** The `command` agent running the fixture with a scenario and its arguments. */
export function fixtureCommand(...scenario: string[]): string[] {
  return [process.execPath, FIXTURE_AGENT, ...scenario]
}

export async function waitFor<T>(
  read: () => T,
  done: (value: T) => boolean,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = read()
    if (done(value)) return value
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

export function waitForEnd(engine: Engine, id: RunId, timeoutMs?: number): Promise<Run> {
  return waitFor(
    () => engine.call('run/get', { id }, 'test'),
    (run) => !ACTIVE_RUN_STATES.includes(run.state),
    `${id} to end`,
    timeoutMs,
  )
}
