// A run's supervisor: a small detached process that owns one agent child, its log and its ledger
// events, so the run outlives the window or CLI that dispatched it. It runs the setup command and
// the agent (argv, no shell, own process group), streams every byte to disk, turns output into
// transcript, usage and a failure class through the runner preset, and records the outcome — which
// it decides once, writes to disk, and commits with retries.
import type { ChildProcess } from 'node:child_process'
import { appendFileSync, existsSync, readFileSync, watch, type FSWatcher } from 'node:fs'
import { dirname, join } from 'node:path'
import type { RunnerPreset } from '../../../../shared/domain'
import { FactoryError } from '../../../../shared/errors'
import { formatDuration } from '../../../../shared/format'
import {
  addUsage,
  NO_USAGE,
  type Failure,
  type StageEvent,
  type Usage,
} from '../../../../shared/runs'
import type { Ledger } from '../../db/ledger'
import { childEnv, describeExit, runAgentProcess, type Exit } from './agentProcess'
import { readArtifact } from './artifact'
import { fullDisk, isDiskFull, releaseSpace, reserveSpace } from './diskSpace'
import { LineSplitter } from './lineSplitter'
import { followSoftwareReactors } from '../capacity/holding'
import { commitOutcome, writeOutcomeFile, type DecidedOutcome } from './outcome'
import { presetFor, withUsageAfterExit } from '../presets'
import type { OutputParser, ParsedOutput } from '../presets/types'
import { killTree, killTreeNow, processIdentity, runMarker } from './processTree'
import { ProgressReader, type ProgressLine } from './progress'
import {
  claimRun,
  recordChild,
  recordOutcome,
  recordProgress,
  recordStarted,
  recordUsage,
  requireRunRow,
  type RunOutcome,
  type RunRow,
} from './runs'
import { logTail, RUN_FILES, RunFiles, writeTimeline } from './transcript'

export interface SuperviseOptions {
  ledger: Ledger
  runId: string
  /** <ledger>.files/artifacts: shipped screenshots are copied under it. */
  artifactsDir: string
  /** Set over this process's environment for the agent (a standby learns PATH with its run). */
  childEnv?: NodeJS.ProcessEnv
  usageFlushMs?: number
}

const MAX_TIMELINE = 500
/** With the disk still full once the reserve is given back, the outcome waits on disk for recovery. */
const FULL_DISK_PATIENCE_MS = 10_000

function usageDelta(total: Usage, counted: Usage): Usage {
  return {
    inputTokens: total.inputTokens - counted.inputTokens,
    outputTokens: total.outputTokens - counted.outputTokens,
    cacheReadTokens: total.cacheReadTokens - counted.cacheReadTokens,
    cacheWriteTokens: total.cacheWriteTokens - counted.cacheWriteTokens,
    costMicros: total.costMicros - counted.costMicros,
    turns: total.turns - counted.turns,
  }
}

export class RunSupervisor {
  private readonly row: RunRow
  private readonly files: RunFiles
  private readonly parser: OutputParser
  private readonly progress: ProgressReader
  private child: ChildProcess | undefined
  private recordedStart = false
  /** Everything parsed so far, and what of it is already in the ledger. */
  private counted: Usage = NO_USAGE
  private recorded: Usage = NO_USAGE
  private stopReason: Failure | undefined
  private readonly timeline: StageEvent[] = []
  private unrecordedStage: ProgressLine | undefined
  private readonly timers: NodeJS.Timeout[] = []
  /** Tree kills under way; the outcome waits for them (their SIGKILL stage included). */
  private readonly kills: Promise<void>[] = []
  /** The reserve file was deleted to make room for the outcome. */
  private spaceReleased = false

  constructor(private readonly options: SuperviseOptions) {
    this.row = requireRunRow(options.ledger, options.runId)
    this.files = new RunFiles(this.row.runDir)
    this.parser = presetFor(this.row.runner as RunnerPreset).parser(() => options.ledger.now())
    this.progress = new ProgressReader(join(this.outputDir, 'progress.jsonl'))
  }

  private get outputDir(): string {
    return join(this.row.runDir, RUN_FILES.output)
  }

  /** Cancel (SIGTERM to the supervisor), timeout or a failure of our own: stop the whole tree. */
  stop(reason: Failure): void {
    if (this.stopReason) return
    this.stopReason = reason
    this.note(`supervisor: ${reason.message}`)
    if (this.child?.pid) this.kills.push(killTree(this.child.pid, 3000, runMarker(this.row.runDir)))
  }

  async run(): Promise<void> {
    const self = { supervisorPid: process.pid, supervisorIdentity: processIdentity(process.pid) }
    // Another supervisor has it, it was cancelled, or recovery gave it up: nothing to start.
    if (this.row.state !== 'starting' || !claimRun(this.options.ledger, this.row.id, self)) return
    this.timers.push(setInterval(() => this.guard(() => this.flushFiles()), 200))
    const watcher = this.watchProgress()
    this.timers.push(
      setInterval(() => this.guard(() => this.flush()), this.options.usageFlushMs ?? 1000),
    )
    // A quiet agent filling the disk prints nothing that would fail to be written: look.
    this.timers.push(setInterval(() => this.checkSpace(), 1000))
    // The timeout covers the setup command too: a hanging `npm ci` must not hold a run forever.
    if (this.row.timeoutMs) {
      const after = formatDuration(this.row.timeoutMs)
      this.timers.push(
        setTimeout(
          () => this.stop({ class: 'timeout', message: `no result after ${after}; stopped` }),
          this.row.timeoutMs,
        ),
      )
    }
    let decided: DecidedOutcome
    try {
      decided = await this.work()
    } catch (error) {
      this.note(`supervisor error: ${(error as Error).stack ?? String(error)}`)
      decided = this.decide(
        { code: null, signal: null },
        { class: 'crashed', message: `the supervisor failed: ${(error as Error).message}` },
      )
    }
    await Promise.all(this.kills)
    for (const timer of this.timers) clearTimeout(timer)
    watcher?.close()
    try {
      await this.commit(decided)
    } finally {
      this.releaseSpace()
    }
  }

  /** Last resort for an error nothing else caught: stop everything, leave the outcome on disk. */
  crash(error: unknown): void {
    const failure: Failure = {
      class: 'crashed',
      message: `the supervisor failed: ${(error as Error)?.message ?? String(error)}`,
    }
    try {
      this.note(`supervisor crashed: ${(error as Error)?.stack ?? String(error)}`)
    } catch {
      // the disk may be what failed
    }
    killTreeNow(this.child?.pid ?? null, runMarker(this.row.runDir))
    const decided: DecidedOutcome = {
      outcome: { state: 'failed', failure },
      exit: { code: null, signal: null, logTail: logTail(this.row.runDir) },
    }
    try {
      writeOutcomeFile(this.row.runDir, decided)
      recordOutcome(this.options.ledger, 'supervisor', this.row.id, decided.outcome, decided.exit)
    } catch {
      // recovery reads the file, or marks the run lost
    }
  }

  private async work(): Promise<DecidedOutcome> {
    const setup = this.row.setup ? (JSON.parse(this.row.setup) as string[]) : null
    if (setup && !this.stopReason) {
      this.files.append({
        kind: 'stage',
        stage: 'setup',
        status: 'started',
        message: setup.join(' '),
      })
      this.files.writeLog(`$ ${setup.join(' ')}\n`)
      const exit = await this.spawn(setup, false)
      if (this.stopReason) return this.decide(exit)
      if (exit.code !== 0) {
        return this.decide(exit, {
          class: 'crashed',
          message: `setup \`${setup.join(' ')}\` failed (${describeExit(exit)})`,
        })
      }
      this.files.append({ kind: 'stage', stage: 'setup', status: 'done' })
    }
    if (this.stopReason) return this.decide({ code: null, signal: null })
    return this.decide(await this.spawn(JSON.parse(this.row.argv) as string[], true))
  }

  /** Runs one child to its end; `parse`: through the preset (the agent) or as raw lines (setup). */
  private async spawn(argv: string[], parse: boolean): Promise<Exit> {
    const take = (stream: 'stdout' | 'stderr') => (line: string) =>
      this.take(parse ? this.parser[stream](line) : raw(stream, line))
    const splitters = {
      stdout: new LineSplitter(take('stdout')),
      stderr: new LineSplitter(take('stderr')),
    }
    const stdinFile = join(this.row.runDir, 'stdin.txt')
    const startedAt = Date.now()
    const exit = await runAgentProcess({
      argv,
      cwd: this.row.cwd,
      env: childEnv(process.env, this.options.childEnv ?? {}, {
        FACTORY_RUN_ID: this.row.id,
        FACTORY_SPEC_FILE: join(this.row.runDir, RUN_FILES.spec),
        FACTORY_OUTPUT_DIR: this.outputDir,
      }),
      ...(parse && existsSync(stdinFile) ? { stdin: readFileSync(stdinFile, 'utf8') } : {}),
      onSpawn: (child) => {
        this.child = child
        this.guard(() => this.spawned(child))
        if (this.stopReason) this.kills.push(killTree(child.pid!, 3000, runMarker(this.row.runDir)))
      },
      onSpawnError: (error) => this.note(`could not start ${argv[0]}: ${error.message}`),
      onOutput: (stream, chunk) =>
        this.guard(() => {
          this.files.writeLog(chunk)
          splitters[stream].push(chunk)
          // Stage lines go into the transcript where they happened, between the output around
          // them. A chunk holds what the agent printed before we read it, so a stage found now
          // came after most of it (an agent ends a stage, then reports it); a stage written
          // between chunks was already read when the file changed (watchProgress).
          if (parse) this.readProgress()
        }),
    })
    splitters.stdout.end()
    splitters.stderr.end()
    // Leftovers (a dev server the agent started) die with the run, SIGKILL stage included.
    if (this.child?.pid) this.kills.push(killTree(this.child.pid, 1000, runMarker(this.row.runDir)))
    // A CLI that prints no usage but records it (gptme's log) fills in what its output left at 0.
    if (parse) {
      const preset = presetFor(this.row.runner as RunnerPreset)
      const env = childEnv(process.env, this.options.childEnv ?? {})
      this.counted = withUsageAfterExit(preset, this.counted, {
        runId: this.row.id,
        env,
        startedAt,
      })
    }
    return exit
  }

  /** The first child makes the run `running`; the agent after a setup command is recorded too. */
  private spawned(child: ChildProcess): void {
    const ids = { childPid: child.pid!, childIdentity: processIdentity(child.pid!) }
    if (this.recordedStart) return recordChild(this.options.ledger, this.row.id, ids)
    this.recordedStart = true
    const started = recordStarted(this.options.ledger, this.row.id, {
      supervisorPid: process.pid,
      supervisorIdentity: processIdentity(process.pid),
      ...ids,
    })
    if (!started) this.stop({ class: 'cancelled', message: 'cancelled before it started' })
    // After the agent starts, so the reserve costs its start nothing.
    reserveSpace(this.row.runDir)
  }

  /** A failure in a callback (the disk is full, the ledger refused) stops the run, never the process. */
  private guard(work: () => void): void {
    try {
      work()
    } catch (error) {
      if (isDiskFull(error)) return this.stopForFullDisk(this.where(error))
      this.stop({
        class: 'crashed',
        message: `the supervisor could not go on: ${(error as Error).message}`,
      })
    }
  }

  /** The ledger's errors name the ledger; a write of the run's own files names nothing. */
  private where(error: unknown): string {
    return error instanceof FactoryError
      ? `the ledger (${this.options.ledger.path})`
      : `the run's log in ${this.row.runDir}`
  }

  /** What has no room left: the run's files or the ledger, if either. */
  private fullDisk(): string | undefined {
    const full = fullDisk([this.row.runDir, dirname(this.options.ledger.path)])
    if (!full) return undefined
    return full === this.row.runDir
      ? `the run's log in ${full}`
      : `the ledger (${this.options.ledger.path})`
  }

  private checkSpace(): void {
    const what = this.fullDisk()
    if (what) this.stopForFullDisk(what)
  }

  private stopForFullDisk(what: string): void {
    this.stop({
      class: 'disk_full',
      message: `the disk is full: no room left for ${what}; the agent was stopped — free some space, then retry`,
    })
  }

  private take(parsed: ParsedOutput): void {
    for (const entry of parsed.entries) this.files.append(entry)
    if (parsed.usage) this.counted = addUsage(this.counted, parsed.usage)
    if (parsed.finalUsage) this.counted = parsed.finalUsage
  }

  /**
   * progress.jsonl read the moment it changes, in turn with the output the agent printed around
   * it (both wake the same loop in the order they happened). Without a watcher (a file system
   * that has none) the chunks and the 200 ms flush still read it, a line or two less exactly.
   */
  private watchProgress(): FSWatcher | undefined {
    try {
      const watcher = watch(this.outputDir, (_event, name) => {
        if (name === null || name === 'progress.jsonl') this.guard(() => this.readProgress())
      })
      watcher.on('error', () => watcher.close())
      return watcher
    } catch {
      return undefined
    }
  }

  /** New progress.jsonl lines into the transcript and the timeline; the ledger hears at flush. */
  private readProgress(): void {
    const { progress, malformed } = this.progress.read()
    for (const line of progress) {
      this.files.append({ kind: 'stage', ...line })
      this.timeline.push({ ...line, at: Date.now() })
    }
    if (this.timeline.length > MAX_TIMELINE)
      this.timeline.splice(0, this.timeline.length - MAX_TIMELINE)
    if (progress.length) {
      writeTimeline(this.row.runDir, this.timeline)
      this.unrecordedStage = progress.at(-1)
    }
    for (const line of malformed) this.note(`progress.jsonl: ignored a malformed line: ${line}`)
  }

  /** Often: the transcript to disk, so a run view streams. */
  private flushFiles(): void {
    this.readProgress()
    this.files.flush()
  }

  /** Every second: the stage the card shows and the usage, to the ledger. */
  private flush(): void {
    this.flushFiles()
    try {
      const stage = this.unrecordedStage
      if (stage) recordProgress(this.options.ledger, this.row.id, stage)
      this.unrecordedStage = undefined
      recordUsage(this.options.ledger, this.row.id, usageDelta(this.counted, this.recorded))
      this.recorded = this.counted
    } catch (error) {
      // A full disk will not pass by itself: stop the run (which gives back its reserve).
      if (isDiskFull(error)) return this.stopForFullDisk(this.where(error))
      // The ledger was busy: the numbers stay counted and go in the next flush.
      this.note(`supervisor: could not record progress yet: ${(error as Error).message}`)
    }
    this.files.flush()
  }

  private decide(exit: Exit, failure?: Failure): DecidedOutcome {
    const outcome = this.outcome(exit, failure)
    return {
      outcome,
      exit: { ...exit, logTail: outcome.state === 'failed' ? logTail(this.row.runDir) : null },
    }
  }

  /** Decided once, written to disk, then committed; recovery applies the file if the commit never lands. */
  private async commit(decided: DecidedOutcome): Promise<void> {
    const { outcome } = decided
    // A full disk: the reserve's room goes to the outcome, not to the transcript's last lines.
    if (outcome.state === 'failed' && outcome.failure.class === 'disk_full') this.releaseSpace()
    try {
      if (outcome.state === 'failed') {
        const text = `${outcome.failure.class}: ${outcome.failure.message}`
        this.files.append({ kind: 'result', text, isError: true })
      }
      if (!this.spaceReleased) this.flush()
      this.files.close()
    } catch {
      // the outcome matters more than the last transcript lines
    }
    try {
      writeOutcomeFile(this.row.runDir, decided)
    } catch (error) {
      // A full disk: with the reserve given back, it fits; else the ledger commit is what counts.
      if (isDiskFull(error) && this.releaseSpace())
        this.guard(() => writeOutcomeFile(this.row.runDir, decided))
    }
    await commitOutcome(this.options.ledger, 'supervisor', this.row.id, decided, {
      onError: (error) => {
        if (!isDiskFull(error)) return
        this.releaseSpace()
        return FULL_DISK_PATIENCE_MS
      },
    }).catch((error: Error) =>
      appendSupervisorLog(this.row.runDir, `outcome not recorded: ${error.message}`),
    )
    // A run that hit a limit holds its lane now, even when no app is open to do it.
    followSoftwareReactors(this.options.ledger)
  }

  /** Deletes the reserve file; true if there was one to give back. */
  private releaseSpace(): boolean {
    this.spaceReleased = releaseSpace(this.row.runDir) || this.spaceReleased
    return this.spaceReleased
  }

  private outcome(exit: Exit, failure?: Failure): RunOutcome {
    if (this.stopReason) return { state: 'failed', failure: this.stopReason }
    if (failure) return { state: 'failed', failure }
    const announced = this.parser.finish(exit)
    if (announced) return { state: 'failed', failure: announced }
    if (exit.code !== 0) {
      // An agent that died of the full disk before the supervisor noticed: say what it was.
      const full = this.fullDisk()
      if (full) {
        const message = `the disk is full: no room left for ${full}; the agent ${describeExit(exit)} — free some space, then retry`
        return { state: 'failed', failure: { class: 'disk_full', message } }
      }
      return { state: 'failed', failure: { class: 'crashed', message: describeExit(exit) } }
    }
    const artifact = readArtifact({
      outputDir: this.outputDir,
      cwd: this.row.cwd,
      destination: join(this.options.artifactsDir, this.row.id),
    })
    if (artifact.kind === 'invalid') {
      return { state: 'failed', failure: { class: 'bad_output', message: artifact.problem } }
    }
    return artifact.kind === 'artifact'
      ? { state: 'shipped', artifact: artifact.artifact }
      : { state: 'done' }
  }

  /** A line of the supervisor's own, in the log and the transcript (not the agent's output). */
  private note(text: string): void {
    try {
      this.files.writeLog(`[factory] ${text}\n`)
      this.files.append({ kind: 'system', text })
    } catch {
      // the run's files failed (a full disk); the supervisor log below may still take it
    }
    appendSupervisorLog(this.row.runDir, text)
  }
}

function appendSupervisorLog(runDir: string, text: string): void {
  try {
    appendFileSync(join(runDir, RUN_FILES.supervisorLog), `${new Date().toISOString()} ${text}\n`)
  } catch {
    // nowhere left to write
  }
}

function raw(stream: 'stdout' | 'stderr', text: string): ParsedOutput {
  return { entries: [{ kind: 'raw', stream, text: text.slice(0, 64 * 1024) }] }
}
