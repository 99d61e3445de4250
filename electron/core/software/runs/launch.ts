// Starting a run's supervisor as a detached process that survives whoever dispatched the run.
// From source (tests) it runs through tsx; from the build it is out/main/supervisor.js, run by Node
// or, inside the desktop app, by Electron's own binary in Node mode.
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, existsSync, openSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { FactoryError } from '../../../../shared/errors'
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
        windowsHide: true,
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

const STANDBY_DELAY_MS = 1000

/** What a standby supervisor is told when it gets a run. */
export interface StandbyAssignment {
  runId: string
  /** Set over the supervisor's environment for the agent (PATH as resolved at dispatch). */
  env: NodeJS.ProcessEnv
}

/**
 * In a standby supervisor: waits for the host to hand over a run, then cuts the IPC channel so the
 * run no longer depends on the host. If the host goes away first, there is nothing to do: exit.
 */
export function standbyAssignment(): Promise<StandbyAssignment> {
  return new Promise((resolve) => {
    process.once('disconnect', () => process.exit(0))
    process.once('message', (message: StandbyAssignment) => {
      process.removeAllListeners('disconnect')
      process.disconnect()
      resolve(message)
    })
    // Only now can a message be heard (one sent earlier would be dropped): tell the host.
    process.send?.('ready')
  })
}

/**
 * One supervisor started ahead of time, so a dispatch from a long-lived host (the app, `factory
 * serve`) does not wait for a Node process to boot and load the ledger before the agent starts.
 */
export class SupervisorStandby {
  /** The standby being prepared (loading its modules), and the one that said it is ready. */
  private starting: ChildProcess | undefined
  private ready: ChildProcess | undefined
  private closed = false

  constructor(
    private readonly command: () => SupervisorCommand,
    private readonly options: { dbPath: string; artifactsDir: string; env: NodeJS.ProcessEnv },
  ) {
    this.prepare()
  }

  /** Hands a run to the waiting supervisor; its pid, or undefined when none is ready yet. */
  assign(assignment: StandbyAssignment): number | undefined {
    const child = this.ready
    if (!child?.pid || !child.connected || child.exitCode !== null) return undefined
    this.ready = undefined
    child.send(assignment)
    // The next standby boots a little later, so it does not compete with the agent's own start.
    setTimeout(() => this.prepare(), STANDBY_DELAY_MS).unref()
    return child.pid
  }

  close(): void {
    this.closed = true
    // Its IPC channel closing makes a waiting standby exit.
    this.starting?.disconnect()
    this.starting = undefined
    this.ready = undefined
  }

  private prepare(): void {
    if (this.closed) return
    try {
      const { argv, env } = this.command()
      const [file, ...args] = argv
      const child = spawn(
        file!,
        [
          ...args,
          '--db',
          this.options.dbPath,
          '--artifacts',
          this.options.artifactsDir,
          '--standby',
        ],
        {
          detached: true,
          windowsHide: true,
          stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
          env: { ...this.options.env, ...env },
        },
      )
      child.on('error', () => undefined)
      child.once('message', (message) => {
        if (message === 'ready') this.ready = child
      })
      child.unref()
      child.channel?.unref()
      this.starting = child
    } catch {
      this.ready = undefined // a cold start will do
    }
  }
}
