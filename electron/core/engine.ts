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
  type SyncOperationName,
} from '../../shared/api'
import type { LedgerEvent } from '../../shared/domain'
import { FactoryError, toErrorPayload, unwrapEnvelope, type Envelope } from '../../shared/errors'
import { handlers } from './api'
import { openLedger, type Ledger } from './db/ledger'
import { LedgerFeed } from './feed'
import { loginShellPath, searchDirs } from './software/presets/cliPath'
import { recoverLostRuns } from './software/runs/control'
import { ingestQueues } from './software/queue/ingest'
import { followSoftwareReactors } from './software/capacity/holding'
import type { RunHost } from './software/runs/dispatch'
import {
  defaultSupervisorCommand,
  SupervisorStandby,
  type SupervisorCommand,
} from './software/runs/launch'
import { RunOutputFeed } from './software/runs/outputFeed'
import { UsageSourceWatch } from './software/usageSources/sync'
import { allocateRound } from './software/capacity/allocate'
import { ledgerFilesDir } from './paths'
import { readSetting } from './settings'

export interface EngineOptions {
  dbPath: string
  /** false: open an existing ledger only (see LedgerOptions.create). */
  create?: boolean
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

/** Events after which a queued spec may be able to start (its own dispatches are not among them). */
const ALLOCATOR_WAKES = new Set([
  'spec.queued',
  'spec.edited',
  'run.shipped',
  'run.done',
  'run.failed',
  'run.lost',
  'agent.added',
  'agent.edited',
  'agent.resumed',
  'settings.changed',
])

export class Engine {
  readonly ledger: Ledger
  readonly runs: RunHost
  private feed: LedgerFeed | undefined
  private outputFeed: RunOutputFeed | undefined
  private recoveryTimer: NodeJS.Timeout | undefined
  private usageWatch: UsageSourceWatch | undefined
  private allocatorTimer: NodeJS.Timeout | undefined
  private stopAllocatorWakes: (() => void) | undefined

  constructor(private readonly options: EngineOptions) {
    this.ledger = openLedger({
      path: options.dbPath,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      ...(options.now ? { now: options.now } : {}),
      ...(options.create === false ? { create: false } : {}),
    })
    this.runs = runHost(options)
  }

  /**
   * Typed call for in-process callers; throws FactoryError (an asynchronous operation's promise
   * rejects with it).
   */
  call<Op extends OperationName>(op: Op, input: Input<Op>, actor: string): Output<Op> {
    const envelope = this.invoke(op as string, input, actor)
    return (
      envelope instanceof Promise
        ? envelope.then((settled) => unwrapEnvelope(settled))
        : unwrapEnvelope(envelope)
    ) as Output<Op>
  }

  /**
   * For hosts: any name, any input; answers an Envelope and writes nothing on bad input. An
   * asynchronous operation (shared/api.ts AsyncOperationName) answers a promise of its envelope,
   * which also never rejects; hosts await what they get.
   */
  invoke(op: SyncOperationName, input: unknown, actor: string): Envelope<unknown>
  invoke(op: string, input: unknown, actor: string): Envelope<unknown> | Promise<Envelope<unknown>>
  invoke(
    op: string,
    input: unknown,
    actor: string,
  ): Envelope<unknown> | Promise<Envelope<unknown>> {
    try {
      if (!isOperationName(op)) {
        throw new FactoryError('UnknownOperation', `no operation named "${op}"`)
      }
      const checked = checkInput(op, input ?? {})
      if (!checked.ok) throw new FactoryError('InvalidInput', `${op}: ${checked.problem}`)
      const handler = handlers[op] as (input: unknown, context: object) => unknown
      const context = { ledger: this.ledger, actor, runs: this.runs }
      const result = handler(checked.input, context)
      if (result instanceof Promise) {
        return result.then(
          (value: unknown): Envelope<unknown> => ({ ok: true, result: value }),
          (error: unknown): Envelope<unknown> => ({ ok: false, error: toErrorPayload(error) }),
        )
      }
      return { ok: true, result }
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
   * Marks runs whose supervisor died as lost and follows queue runs through their queue files:
   * once now, and (for long-lived hosts) every few seconds after. Returns the ids marked lost now.
   */
  recoverRuns(options: { watch?: boolean } = {}): string[] {
    if (options.watch && !this.recoveryTimer) {
      this.recoveryTimer = setInterval(() => {
        try {
          recoverLostRuns(this.ledger)
          ingestQueues(this.ledger)
          followSoftwareReactors(this.ledger)
        } catch {
          // busy or closing: the next tick tries again
        }
      }, 3000)
      this.recoveryTimer.unref()
    }
    const lost = recoverLostRuns(this.ledger)
    ingestQueues(this.ledger)
    // A run that shipped just before its supervisor died is merged (on a trusted lane) at start.
    followSoftwareReactors(this.ledger)
    return lost
  }

  /**
   * For long-lived hosts: the allocator dispatches queued specs by itself (unless auto-dispatch is
   * switched off) soon after anything that could free a lane or ready a spec, and every few
   * seconds for holds and quota windows that end with time.
   */
  dispatchAutomatically(): void {
    if (this.allocatorTimer) return
    const round = () => {
      try {
        if (readSetting(this.ledger, 'autoDispatch')) {
          allocateRound(this.ledger, this.runs, 'allocator', { dryRun: false })
        }
      } catch {
        // busy or closing: the next wake or tick tries again
      }
    }
    let scheduled = false
    const soon = () => {
      if (scheduled) return
      scheduled = true
      setTimeout(() => {
        scheduled = false
        round()
      }, 50).unref()
    }
    this.stopAllocatorWakes = this.subscribe((event) => {
      if (ALLOCATOR_WAKES.has(event.type)) soon()
    })
    this.allocatorTimer = setInterval(round, 3000)
    this.allocatorTimer.unref()
    soon()
  }

  /**
   * For long-lived hosts: reads the agents' optional usage sources in the background (Claude
   * Code's logs every minute, the subscription's report every five), until the engine closes.
   */
  watchUsageSources(): void {
    this.usageWatch ??= new UsageSourceWatch(this.ledger, { now: this.ledger.now })
    this.usageWatch.start()
  }

  close(): void {
    this.usageWatch?.stop()
    this.runs.standby?.close()
    clearInterval(this.recoveryTimer)
    clearInterval(this.allocatorTimer)
    this.stopAllocatorWakes?.()
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
  const filesDir = ledgerFilesDir(options.dbPath)
  return {
    dbPath: options.dbPath,
    dataDir,
    filesDir,
    env,
    supervisor,
    ...(options.warmSupervisor
      ? {
          standby: new SupervisorStandby(supervisor, {
            dbPath: options.dbPath,
            artifactsDir: join(filesDir, 'artifacts'),
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
