// Starting a run's supervisor as a detached process that survives whoever dispatched the run.
// From source (tests) it runs through tsx; from the build it is out/main/supervisor.js, run by Node
// or, inside the desktop app, by Electron's own binary in Node mode.
import { spawn } from 'node:child_process'
import { closeSync, existsSync, openSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { FactoryError } from '../../../shared/errors'
import { RUN_FILES } from './transcript'

export interface SupervisorCommand {
  argv: string[]
  env: NodeJS.ProcessEnv
}

/** Where this module is decides how the supervisor is started: source, or a built chunk. */
export function defaultSupervisorCommand(
  here = dirname(fileURLToPath(import.meta.url)),
): SupervisorCommand {
  const env: NodeJS.ProcessEnv = process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {}
  const source = join(here, 'supervisorMain.ts')
  if (existsSync(source)) {
    // Absolute, because the supervisor's cwd is the run folder, far from node_modules.
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href
    return { argv: [process.execPath, '--import', tsx, source], env }
  }
  for (const built of [join(here, 'supervisor.js'), join(here, '..', 'supervisor.js')]) {
    if (existsSync(built)) return { argv: [process.execPath, built], env }
  }
  throw new FactoryError(
    'Internal',
    `the run supervisor is missing next to ${here}; rebuild the app`,
  )
}

export function launchSupervisor(
  command: SupervisorCommand,
  options: {
    dbPath: string
    runId: string
    runDir: string
    artifactsDir: string
    env: NodeJS.ProcessEnv
  },
): number {
  const log = openSync(join(options.runDir, RUN_FILES.supervisorLog), 'a')
  try {
    const [file, ...args] = command.argv
    const child = spawn(
      file!,
      [
        ...args,
        '--db',
        options.dbPath,
        '--run',
        options.runId,
        '--artifacts',
        options.artifactsDir,
        options.runId,
      ],
      {
        cwd: options.runDir,
        detached: true,
        stdio: ['ignore', log, log],
        env: { ...options.env, ...command.env },
      },
    )
    child.on('error', () => undefined) // reported below through the missing pid
    child.unref()
    if (!child.pid) {
      throw new FactoryError('Internal', `could not start the run supervisor (${file})`)
    }
    return child.pid
  } finally {
    closeSync(log)
  }
}
