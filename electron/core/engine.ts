// The engine every host constructs: a ledger, its feed of committed events and the handler map,
// behind one `invoke` that validates input and never throws across a host boundary.
import { homedir } from 'node:os'
import { dirname, join } from 'node:path'
import {
  checkInput,
  isOperationName,
  type Input,
  type OperationName,
  type Output,
  type RunOutputEvent,
} from '../../shared/api'
import type { LedgerEvent } from '../../shared/domain'
import { FactoryError, toErrorPayload, unwrapEnvelope, type Envelope } from '../../shared/errors'
import { handlers } from './api'
import { openLedger, type Ledger } from './db/ledger'
import { LedgerFeed } from './feed'
import { loginShellPath, searchDirs } from './software/cliPath'
import { recoverLostRuns } from './software/control'
import { followSoftwareReactors } from './software/holding'
import type { RunHost } from './software/dispatch'
import {
  defaultSupervisorCommand,
  SupervisorStandby,
  type SupervisorCommand,
} from './software/launch'
import { RunOutputFeed } from './software/outputFeed'

export interface EngineOptions {
  dbPath: string
  nativeBinding?: string
  now?: () => number
  /** How often other processes' commits are looked for (ms). */
  feedIntervalMs?: number
  /** How run supervisors are started; by default found next to this module (source or build). */
  supervisor?: SupervisorCommand
  /** The environment runs inherit (PATH is resolved from it). */
  env?: NodeJS.ProcessEnv
  /**
   * Also search the login shell's PATH for agent CLIs: the desktop app started from a dock or
   * menu does not inherit it. Terminals (the CLI, serve) already have it.
   */
  loginShell?: boolean
  /**
   * Keep one run supervisor started ahead of time, so a dispatch starts its agent without waiting
   * for a process to boot: for long-lived hosts (the app, `factory serve`), not one-shot commands.
   */
  warmSupervisor?: boolean
}

export class Engine {
  readonly ledger: Ledger
  readonly runs: RunHost
  private feed: LedgerFeed | undefined
  private outputFeed: RunOutputFeed | undefined
  private recoveryTimer: NodeJS.Timeout | undefined

  constructor(private readonly options: EngineOptions) {
    this.ledger = openLedger({
      path: options.dbPath,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      ...(options.now ? { now: options.now } : {}),
    })
    this.runs = runHost(options)
  }

  /** Typed call for in-process callers; throws FactoryError. */
  call<Op extends OperationName>(op: Op, input: Input<Op>, actor: string): Output<Op> {
    return unwrapEnvelope<Output<Op>>(this.invoke(op, input, actor))
  }

  /** For hosts: any name, any input; answers an Envelope and writes nothing on bad input. */
  invoke(op: string, input: unknown, actor: string): Envelope<unknown> {
    try {
      if (!isOperationName(op)) {
        throw new FactoryError('UnknownOperation', `no operation named "${op}"`)
      }
      const checked = checkInput(op, input ?? {})
      if (!checked.ok) throw new FactoryError('InvalidInput', `${op}: ${checked.problem}`)
      const handler = handlers[op] as (input: unknown, context: object) => unknown
      const context = { ledger: this.ledger, actor, runs: this.runs }
      return { ok: true, result: handler(checked.input, context) }
    } catch (error) {
      return { ok: false, error: toErrorPayload(error) }
    }
  }

  /** Committed events from any process, in order, starting after the current newest. */
  subscribe(listener: (event: LedgerEvent) => void): () => void {
    this.feed ??= new LedgerFeed(this.ledger, this.options.feedIntervalMs)
    return this.feed.subscribe(listener)
  }

  /** Runs' transcripts and logs growing, for hosts to push to their UIs. */
  subscribeRunOutput(listener: (event: RunOutputEvent) => void): () => void {
    this.outputFeed ??= new RunOutputFeed(this.ledger)
    return this.outputFeed.subscribe(listener)
  }

  /**
   * Marks runs whose supervisor died as lost: once now, and (for long-lived hosts) every few
   * seconds after. Returns the ids marked now.
   */
  recoverRuns(options: { watch?: boolean } = {}): string[] {
    if (options.watch && !this.recoveryTimer) {
      this.recoveryTimer = setInterval(() => {
        try {
          recoverLostRuns(this.ledger)
          followSoftwareReactors(this.ledger)
        } catch {
          // busy or closing: the next tick tries again
        }
      }, 3000)
      this.recoveryTimer.unref()
    }
    return recoverLostRuns(this.ledger)
  }

  close(): void {
    this.runs.standby?.close()
    clearInterval(this.recoveryTimer)
    this.feed?.close()
    this.outputFeed?.close()
    this.ledger.close()
  }
}

function runHost(options: EngineOptions): RunHost {
  const env = options.env ?? process.env
  const findDirs = (loginPath?: string): string[] =>
    searchDirs({
      env,
      platform: process.platform,
      home: homedir(),
      ...(loginPath ? { loginPath } : {}),
    })
  let dirs: string[] | undefined
  // The login shell takes a moment to start: ask it once, in the background, from the start; a
  // dispatch in the first instant searches PATH and the common install folders without it.
  if (options.loginShell) {
    void loginShellPath(env, process.platform).then((path) => {
      if (path) dirs = findDirs(path)
    })
  }
  const supervisor = (): SupervisorCommand => options.supervisor ?? defaultSupervisorCommand()
  const dataDir = dirname(options.dbPath)
  return {
    dbPath: options.dbPath,
    dataDir,
    env,
    supervisor,
    ...(options.warmSupervisor
      ? {
          standby: new SupervisorStandby(supervisor, {
            dbPath: options.dbPath,
            artifactsDir: join(dataDir, 'artifacts'),
            env,
          }),
        }
      : {}),
    searchDirs: () => (dirs ??= findDirs()),
  }
}

export function createEngine(options: EngineOptions): Engine {
  return new Engine(options)
}
