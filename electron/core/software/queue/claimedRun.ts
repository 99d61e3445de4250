// One claimed spec run by a drainer's COMMAND under the run contract (docs/run-contract.md): the
// spec file, FACTORY_* variables, an argv in its own process group, artifact.json read and checked
// as a local run's is. The claim is renewed while the command runs; losing it (returned as stale,
// or cancelled on the dashboard) stops the command and drops its result, because by then the spec
// belongs to someone else. The result is prepared in the queue's tmp/, then published whole.
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { randomBytes } from 'node:crypto'
import { hostname, tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type { ChildProcess } from 'node:child_process'
import type { QueueResult } from '../../../../shared/queue'
import type { Failure } from '../../../../shared/runs'
import { childEnv, runAgentProcess, type Exit } from '../runs/agentProcess'
import { readArtifact } from '../runs/artifact'
import { LineSplitter } from '../runs/lineSplitter'
import { presetFor } from '../presets'
import { substitute } from '../presets/command'
import { killTree, runMarker } from '../runs/processTree'
import { logTail, RUN_FILES } from '../runs/transcript'
import { readBounded } from './boundedFile'
import { MAX_SPEC_FILE, publishResult, renew, renewIntervalMs, type Claim } from './maildir'
import { release } from './staleClaims'
import { parseQueueSpec } from './specFile'
import type { DrainerWatchdog } from './watchdog'

export interface ClaimedRunOptions {
  /** The argv; {specFile}, {runId} and {outputDir} are filled in as for a `command` agent. */
  command: string[]
  /** The command's working directory; by default a fresh empty folder per spec. */
  workspace?: string
  staleMs: number
  /** Aborted: stop the command and give the spec back to new/. */
  stop: AbortSignal
  /** A line about what happened, for the drainer's stderr. */
  note: (text: string) => void
  /** Stops the command should this drainer die (watchdog.ts). */
  watchdog?: DrainerWatchdog
}

export type ClaimEnd = 'shipped' | 'done' | 'failed' | 'lost' | 'released'

export async function runClaimed(claim: Claim, options: ClaimedRunOptions): Promise<ClaimEnd> {
  // Named after the scratch folder, like a local run's: the marker that finds its processes. The
  // watchdog hears of both folders before either exists and lets go only once both are gone, so a
  // drainer killed at any instant leaves neither behind.
  const scratch = join(tmpdir(), `factory-drain-${claim.id}-${randomBytes(6).toString('hex')}`)
  const resultDir = join(claim.queue, 'tmp', `result-${basename(scratch)}`)
  options.watchdog?.watch(claim.id, { marker: runMarker(scratch), remove: [scratch, resultDir] })
  try {
    mkdirSync(scratch, { mode: 0o700 }) // fails rather than share a folder that exists
    return await work(claim, options, scratch, resultDir)
  } finally {
    rmSync(scratch, { recursive: true, force: true })
    rmSync(resultDir, { recursive: true, force: true })
    options.watchdog?.release(claim.id)
  }
}

async function work(
  claim: Claim,
  options: ClaimedRunOptions,
  scratch: string,
  resultDir: string,
): Promise<ClaimEnd> {
  const startedAt = new Date().toISOString()
  const read = readBounded(claim.path, MAX_SPEC_FILE)
  const spec = 'text' in read ? parseQueueSpec(read.text) : { ok: false as const, ...read }
  if (!spec.ok) {
    const message = `the queue file ${claim.path} cannot be read: ${spec.problem}`
    return finish(claim, scratch, resultDir, {
      id: claim.id,
      run: claim.id,
      outcome: 'failed',
      failure: { class: 'crashed', message },
      startedAt,
    })
  }
  const outputDir = join(scratch, RUN_FILES.output)
  const specFile = join(scratch, RUN_FILES.spec)
  const cwd = options.workspace ?? join(scratch, 'work')
  mkdirSync(outputDir)
  mkdirSync(cwd, { recursive: true })
  writeFileSync(specFile, spec.body)
  const context = { specFile, runId: spec.item.run, outputDir, bin: '', prompt: '' }
  const [file, ...args] = options.command.map((arg) => substitute(arg, context))
  const ran = await runCommand(claim, options, scratch, {
    argv: [file!, ...args],
    cwd,
    env: childEnv(process.env, {
      FACTORY_RUN_ID: spec.item.run,
      FACTORY_SPEC_FILE: specFile,
      FACTORY_OUTPUT_DIR: outputDir,
      FACTORY_QUEUE_FILE: claim.path,
    }),
  })
  if (ran.end) return ran.end
  const base = { id: claim.id, run: spec.item.run, startedAt, drainer: drainerName() }
  const exit = { exitCode: ran.exit.code, signal: ran.exit.signal }
  const failed = (failure: Failure): ClaimEnd => {
    const tail = logTail(scratch)
    const result = { ...base, ...exit, outcome: 'failed' as const, failure }
    return finish(claim, scratch, resultDir, tail ? { ...result, logTail: tail } : result)
  }
  if (ran.failure) return failed(ran.failure)
  mkdirSync(resultDir)
  const artifact = readArtifact({ outputDir, cwd, destination: resultDir })
  if (artifact.kind === 'invalid') return failed({ class: 'bad_output', message: artifact.problem })
  if (artifact.kind === 'none') {
    return finish(claim, scratch, resultDir, { ...base, ...exit, outcome: 'done' })
  }
  // The copies sit in the result folder; artifact.json there names them relative to it.
  const shipped = {
    ...artifact.artifact,
    screenshots: artifact.artifact.screenshots.map((path) => basename(path)),
  }
  writeFileSync(join(resultDir, 'artifact.json'), JSON.stringify(shipped, null, 2))
  return finish(claim, scratch, resultDir, {
    ...base,
    ...exit,
    outcome: 'shipped',
    artifact: shipped,
  })
}

interface CommandRun {
  exit: Exit
  failure?: Failure
  /** Set when there is no result to write: the claim was lost, or given back. */
  end?: 'lost' | 'released'
}

async function runCommand(
  claim: Claim,
  options: ClaimedRunOptions,
  scratch: string,
  spawnWith: { argv: string[]; cwd: string; env: NodeJS.ProcessEnv },
): Promise<CommandRun> {
  const parser = presetFor('command').parser()
  const stderrLines = new LineSplitter((line) => parser.stderr(line))
  const log = openSync(join(scratch, RUN_FILES.log), 'a')
  let child: ChildProcess | undefined
  let lost = false
  const kills: Promise<void>[] = []
  const stopChild = (): void => {
    if (child?.pid) kills.push(killTree(child.pid, 3000, runMarker(scratch)))
  }
  const renewal = setInterval(() => {
    if (lost || renew(claim)) return
    lost = true
    options.note(`${claim.id}: the claim was taken away (stale or cancelled); stopping its command`)
    stopChild()
  }, renewIntervalMs(options.staleMs))
  const onStop = (): void => stopChild()
  options.stop.addEventListener('abort', onStop)
  try {
    const exit = await runAgentProcess({
      ...spawnWith,
      onSpawn: (spawned) => {
        child = spawned
        if (spawned.pid) options.watchdog?.group(claim.id, spawned.pid)
        if (options.stop.aborted || lost) stopChild()
      },
      onSpawnError: (error) => {
        writeSync(log, `[factory] could not start ${spawnWith.argv[0]}: ${error.message}\n`)
      },
      onOutput: (stream, chunk) => {
        writeSync(log, chunk)
        if (stream === 'stderr') stderrLines.push(chunk)
      },
    })
    stderrLines.end()
    // Whatever the command left running in its group goes with it.
    if (child?.pid) kills.push(killTree(child.pid, 1000, runMarker(scratch)))
    await Promise.all(kills)
    if (lost || !renew(claim)) return { exit, end: 'lost' }
    if (options.stop.aborted) return { exit, end: release(claim) ? 'released' : 'lost' }
    const failure = parser.finish(exit)
    return failure ? { exit, failure } : { exit }
  } finally {
    clearInterval(renewal)
    options.stop.removeEventListener('abort', onStop)
    closeSync(log)
  }
}

/** Publishes the result with the command's log beside it; 'lost' if the claim went meanwhile. */
function finish(claim: Claim, scratch: string, resultDir: string, result: QueueResult): ClaimEnd {
  mkdirSync(resultDir, { recursive: true })
  const log = join(scratch, RUN_FILES.log)
  if (existsSync(log)) copyFileSync(log, join(resultDir, RUN_FILES.log))
  const json = JSON.stringify({ ...result, endedAt: new Date().toISOString() }, null, 2)
  const folder = result.outcome === 'failed' ? 'failed' : 'done'
  return publishResult(claim, folder, { json, dir: resultDir }) ? result.outcome : 'lost'
}

function drainerName(): string {
  return `${hostname()}:${process.pid}`
}
