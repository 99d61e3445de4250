// Test helpers for runs: an engine on a real ledger in a temp folder whose runs are real detached
// supervisors (from source, through tsx) driving the fixture agent.
import { execFileSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FactoryError } from '../../../../shared/errors'
import { ACTIVE_RUN_STATES, type Run, type RunId } from '../../../../shared/runs'
import { createEngine, type Engine, type EngineOptions } from '../../engine'
import { tempDir } from '../../testing'
import { openLedger } from '../../db/ledger'
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
      // A test may have closed and reopened its engine, so the ledger is read afresh.
      stopLeftoverRuns(dbPath)
      cleanup()
    },
  }
}

/**
 * Kill every supervisor and agent the ledger at `dbPath` still lists as alive: what a failed test
 * left running, stopped before its folder goes. No ledger file, nothing to stop.
 */
export function stopLeftoverRuns(dbPath: string): void {
  if (!existsSync(dbPath)) return
  const ledger = openLedger({ path: dbPath })
  const rows = ledger.sqlite
    .prepare('SELECT supervisor_pid AS supervisor, child_pid AS child FROM runs')
    .all() as { supervisor: number | null; child: number | null }[]
  ledger.close()
  for (const { supervisor, child } of rows) {
    if (supervisor && isAlive(supervisor)) process.kill(supervisor, 'SIGKILL')
    if (child && isAlive(child)) killTreeNow(child)
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

/**
 * Temporary folders for one test file: `make` creates one, `removeAll` (pass it to afterEach)
 * removes every folder made since.
 */
export function tempDirs(): { make: (prefix?: string) => string; removeAll: () => void } {
  const cleanups: (() => void)[] = []
  return {
    make: (prefix) => {
      const { dir, cleanup } = tempDir(prefix)
      cleanups.push(cleanup)
      return dir
    },
    removeAll: () => {
      for (const cleanup of cleanups.splice(0)) cleanup()
    },
  }
}

/** The FactoryError `fn` throws; anything else it throws is rethrown, and not throwing fails. */
export function caught(fn: () => unknown): FactoryError {
  try {
    fn()
  } catch (error) {
    if (error instanceof FactoryError) return error
    throw error
  }
  throw new Error('expected a FactoryError')
}

/** git in a test's repo, as a person would run it (no GIT_DIR from a surrounding hook). */
export function git(cwd: string, ...args: string[]): string {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_')),
  )
  return execFileSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@localhost', '-C', cwd, ...args],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  )
    .toString()
    .trim()
}

/** A git repository in a temp folder with one commit on main (a README), as an agent's workspace. */
export function productRepo(): { dir: string; cleanup: () => void } {
  const folder = tempDir('factory-repo-')
  git(folder.dir, 'init', '-q', '-b', 'main')
  writeFileSync(join(folder.dir, 'README.md'), '# the product\n')
  git(folder.dir, 'add', 'README.md')
  git(folder.dir, 'commit', '-q', '-m', 'first')
  return folder
}
