// A run's supervisor: a small detached process that owns one agent child, its log and its ledger
// events, so the run outlives the window or CLI that dispatched it. It spawns the child (argv, no
// shell) in its own process group, streams every byte to disk, turns output into transcript,
// usage and a failure class through the runner preset, and records the outcome.
import { spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { StringDecoder } from 'node:string_decoder'
import type { RunnerPreset } from '../../../shared/domain'
import { formatDuration } from '../../../shared/format'
import { addUsage, NO_USAGE, type Failure, type StageEvent, type Usage } from '../../../shared/runs'
import type { Ledger } from '../db/ledger'
import { readArtifact } from './artifact'
import { presetFor } from './presets'
import type { OutputParser, ParsedOutput } from './presets/types'
import { killTree } from './processTree'
import { ProgressReader, type ProgressLine } from './progress'
import {
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
  /** <dataDir>/artifacts: shipped screenshots are copied under it. */
  artifactsDir: string
  /** Set over this process's environment for the agent (a standby learns PATH with its run). */
  childEnv?: NodeJS.ProcessEnv
  usageFlushMs?: number
}

type Exit = { code: number | null; signal: string | null }

/** Splits a byte stream into lines without breaking multi-byte characters across chunks. */
class LineSplitter {
  private readonly decoder = new StringDecoder('utf8')
  private partial = ''
  constructor(private readonly onLine: (line: string) => void) {}
  push(chunk: Buffer): void {
    const lines = (this.partial + this.decoder.write(chunk)).split('\n')
    this.partial = lines.pop() ?? ''
    for (const line of lines) this.onLine(line.endsWith('\r') ? line.slice(0, -1) : line)
  }
  end(): void {
    const rest = this.partial + this.decoder.end()
    this.partial = ''
    if (rest) this.onLine(rest)
  }
}

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
  /** Everything parsed so far, and what of it is already in the ledger. */
  private counted: Usage = NO_USAGE
  private recorded: Usage = NO_USAGE
  private stopReason: Failure | undefined
  private readonly timeline: StageEvent[] = []
  private unrecordedStage: ProgressLine | undefined
  private timers: NodeJS.Timeout[] = []

  constructor(private readonly options: SuperviseOptions) {
    this.row = requireRunRow(options.ledger, options.runId)
    this.files = new RunFiles(this.row.runDir)
    this.parser = presetFor(this.row.runner as RunnerPreset).parser()
    this.progress = new ProgressReader(join(this.outputDir, 'progress.jsonl'))
  }

  private get outputDir(): string {
    return join(this.row.runDir, RUN_FILES.output)
  }

  /** Cancel (SIGTERM to the supervisor) or timeout: stop the whole tree, remember why. */
  stop(reason: Failure): void {
    if (this.stopReason) return
    this.stopReason = reason
    this.note(`supervisor: ${reason.message}`)
    if (this.child?.pid) void killTree(this.child.pid)
  }

  async run(): Promise<void> {
    if (this.row.state !== 'starting') return // another supervisor has it, or it was cancelled
    this.timers.push(setInterval(() => this.flushFiles(), 200))
    this.timers.push(setInterval(() => this.flush(), this.options.usageFlushMs ?? 1000))
    try {
      let exit: Exit = { code: null, signal: null }
      let started = false
      const setup = this.row.setup ? (JSON.parse(this.row.setup) as string[]) : null
      if (setup && !this.stopReason) {
        this.files.append({
          kind: 'stage',
          stage: 'setup',
          status: 'started',
          message: setup.join(' '),
        })
        this.files.writeLog(`$ ${setup.join(' ')}\n`)
        exit = await this.spawnChild(setup, false, () => this.started())
        started = true
        if (exit.code !== 0 && !this.stopReason) {
          return this.finish(exit, {
            class: 'crashed',
            message: `setup \`${setup.join(' ')}\` failed (${describeExit(exit)})`,
          })
        }
        this.files.append({ kind: 'stage', stage: 'setup', status: 'done' })
      }
      if (!this.stopReason) {
        const argv = JSON.parse(this.row.argv) as string[]
        if (this.row.timeoutMs) {
          const after = formatDuration(this.row.timeoutMs)
          this.timers.push(
            setTimeout(
              () => this.stop({ class: 'timeout', message: `no result after ${after}; stopped` }),
              this.row.timeoutMs,
            ),
          )
        }
        exit = await this.spawnChild(argv, true, () => {
          if (!started) this.started()
        })
      }
      this.finish(exit)
    } catch (error) {
      this.note(`supervisor error: ${(error as Error).stack ?? String(error)}`)
      this.finish(
        { code: null, signal: null },
        {
          class: 'crashed',
          message: `the supervisor failed: ${(error as Error).message}`,
        },
      )
    } finally {
      for (const timer of this.timers) clearTimeout(timer)
      this.files.close()
    }
  }

  /** Records the run as running, unless it was cancelled while starting: then stop at once. */
  private started(): void {
    const pids = { supervisorPid: process.pid, childPid: this.child?.pid ?? 0 }
    if (!recordStarted(this.options.ledger, this.row.id, pids)) {
      this.stop({ class: 'cancelled', message: 'cancelled before it started' })
    }
  }

  /** Runs one child to its end; `parse`: through the preset (the agent) or as raw lines (setup). */
  private spawnChild(argv: string[], parse: boolean, onSpawn: () => void): Promise<Exit> {
    const [file, ...args] = argv
    const stdinFile = join(this.row.runDir, 'stdin.txt')
    return new Promise((resolve) => {
      const child = spawn(file!, args, {
        cwd: this.row.cwd,
        env: {
          ...process.env,
          ...this.options.childEnv,
          FACTORY_RUN_ID: this.row.id,
          FACTORY_SPEC_FILE: join(this.row.runDir, RUN_FILES.spec),
          FACTORY_OUTPUT_DIR: this.outputDir,
        },
        // Its own process group: cancel and timeout signal the whole tree.
        detached: true,
        stdio: [parse && existsSync(stdinFile) ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      })
      this.child = child
      let settled = false
      const done = (exit: Exit): void => {
        if (settled) return
        settled = true
        resolve(exit)
      }
      child.on('error', (error) => {
        this.note(`could not start ${file}: ${error.message}`)
        done({ code: null, signal: null })
      })
      child.on('spawn', () => {
        onSpawn()
        if (this.stopReason) void killTree(child.pid!)
      })
      if (child.stdin) {
        child.stdin.on('error', () => undefined)
        child.stdin.end(readStdin(stdinFile))
      }
      const stdout = new LineSplitter((line) =>
        this.take(parse ? this.parser.stdout(line) : raw('stdout', line)),
      )
      const stderr = new LineSplitter((line) =>
        this.take(parse ? this.parser.stderr(line) : raw('stderr', line)),
      )
      child.stdout!.on('data', (chunk: Buffer) => {
        // Stage lines go into the transcript where they happened, between the output around
        // them: look for new ones before each chunk (a stat; chunks come tens of times a second).
        if (parse) this.readProgress()
        this.files.writeLog(chunk)
        stdout.push(chunk)
      })
      child.stderr!.on('data', (chunk: Buffer) => {
        this.files.writeLog(chunk)
        stderr.push(chunk)
      })
      // Done when the child has exited and both pipes are drained (or, when a descendant keeps
      // them open, shortly after the exit).
      let exit: Exit | undefined
      let openPipes = 2
      const settle = (): void => {
        if (settled || !exit) return
        stdout.end()
        stderr.end()
        done(exit)
      }
      for (const pipe of [child.stdout!, child.stderr!]) {
        pipe.once('close', () => {
          openPipes--
          if (openPipes === 0) settle()
        })
      }
      child.on('exit', (code, signal) => {
        exit = { code, signal }
        // Leftovers (a dev server the agent started) die with the run.
        void killTree(child.pid!, 1000)
        if (openPipes === 0) return settle()
        this.timers.push(
          setTimeout(() => {
            child.stdout!.destroy()
            child.stderr!.destroy()
            settle()
          }, 2000),
        )
      })
    })
  }

  private take(parsed: ParsedOutput): void {
    for (const entry of parsed.entries) this.files.append(entry)
    if (parsed.usage) this.counted = addUsage(this.counted, parsed.usage)
    if (parsed.finalUsage) this.counted = parsed.finalUsage
  }

  /** New progress.jsonl lines into the transcript and the timeline; the ledger hears at flush. */
  private readProgress(): void {
    const { progress, malformed } = this.progress.read()
    for (const line of progress) {
      this.files.append({ kind: 'stage', ...line })
      this.timeline.push({ ...line, at: Date.now() })
    }
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
      const delta = usageDelta(this.counted, this.recorded)
      recordUsage(this.options.ledger, this.row.id, delta)
      this.recorded = this.counted
    } catch (error) {
      // The ledger was busy or the disk full: the numbers stay counted and go in the next flush.
      this.note(`supervisor: could not record progress yet: ${(error as Error).message}`)
    }
    this.files.flush()
  }

  private finish(exit: Exit, failure?: Failure): void {
    this.flush()
    const outcome = this.outcome(exit, failure)
    const tail = outcome.state === 'failed' ? logTail(this.row.runDir) : null
    if (outcome.state === 'failed') {
      this.files.append({
        kind: 'result',
        text: `${outcome.failure.class}: ${outcome.failure.message}`,
        isError: true,
      })
    }
    this.files.flush()
    recordOutcome(this.options.ledger, 'supervisor', this.row.id, outcome, {
      ...exit,
      logTail: tail,
    })
  }

  private outcome(exit: Exit, failure?: Failure): RunOutcome {
    if (this.stopReason) return { state: 'failed', failure: this.stopReason }
    if (failure) return { state: 'failed', failure }
    const announced = this.parser.finish(exit)
    if (announced) return { state: 'failed', failure: announced }
    if (exit.code !== 0) {
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
    this.files.writeLog(`[factory] ${text}\n`)
    this.files.append({ kind: 'system', text })
    try {
      appendFileSync(
        join(this.row.runDir, RUN_FILES.supervisorLog),
        `${new Date().toISOString()} ${text}\n`,
      )
    } catch {
      // the log above already has it
    }
  }
}

function raw(stream: 'stdout' | 'stderr', text: string): ParsedOutput {
  return { entries: [{ kind: 'raw', stream, text: text.slice(0, 64 * 1024) }] }
}

function readStdin(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

export function describeExit(exit: Exit): string {
  if (exit.signal) return `killed by ${exit.signal}`
  if (exit.code === null) return 'could not be started'
  return `exited with code ${exit.code}`
}
