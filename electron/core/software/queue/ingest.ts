// The dashboard follows its queue runs through their files (docs/queue.md): claimed → running,
// back in new/ → queued again, a result → the same outcome a local run records. Driven by the
// ledger's own active queue runs, so files for runs it does not know are never touched. Each step
// checks the run's state inside its transaction, so ingesting twice, or after a crash half-way,
// records nothing twice; a bad result fails its own run and no other.
import { existsSync, lstatSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { and, eq } from 'drizzle-orm'
import { isRunActive, NO_USAGE, type Failure } from '../../../../shared/runs'
import type { Ledger } from '../../db/ledger'
import { runs, specs } from '../../db/schema'
import { readArtifact } from '../runs/artifact'
import {
  activeRunRows,
  recordOutcome,
  recordUsage,
  requireRunRow,
  type OutcomeExit,
  type RunOutcome,
  type RunRow,
  NO_EXIT,
} from '../runs/runs'
import { RUN_FILES } from '../runs/transcript'
import { isQueueRun, queueItemId } from './enqueue'
import {
  completeStagedSpec,
  DEFAULT_STALE_MS,
  findStagedSpec,
  locate,
  resultName,
  type ResultFolder,
} from './maildir'
import { returnStaleClaims } from './staleClaims'
import { withdrawFromStalledQueues } from './stalled'
import { readResult } from './result'

export interface IngestOptions {
  /** Where shipped screenshots are copied: the artifacts folder beside the run's folder by default. */
  artifactsDir?: string
  staleMs?: number
  /** How long work may wait unclaimed, with no sign of life from the lane, before it is taken back. */
  stallMs?: number
  /** How long a run's file may be nowhere (a sync tool mid-way) before the run counts as lost. */
  missingGraceMs?: number
}

const MISSING_GRACE_MS = 2 * 60_000
/** When each run's file was first found missing, per ledger file and run. */
const missingSince = new Map<string, number>()

/** Follows every active queue run one step; returns the runs whose state changed. */
export function ingestQueues(ledger: Ledger, options: IngestOptions = {}): string[] {
  const rows = activeRunRows(ledger).filter(isQueueRun)
  for (const queue of new Set(rows.map((row) => row.cwd))) {
    try {
      if (existsSync(queue)) returnStaleClaims(queue, options.staleMs ?? DEFAULT_STALE_MS)
    } catch {
      // an unreadable queue: its runs wait for the next look
    }
  }
  const changed: string[] = []
  for (const row of rows) {
    try {
      if (ingestRun(ledger, row, options)) changed.push(row.id)
    } catch {
      // busy, or the queue is out of reach: the next tick looks again, other runs go on
    }
  }
  try {
    withdrawFromStalledQueues(ledger, options.stallMs)
  } catch {
    // busy: the next tick looks again
  }
  return changed
}

function ingestRun(ledger: Ledger, row: RunRow, options: IngestOptions): boolean {
  const queue = row.cwd
  if (!existsSync(queue)) return false // an unmounted share or a sync not done: not evidence
  const id = queueItemId(row)
  // Looked at twice before believing it is gone: a claim going back to new/ can slip between looks.
  let place = locate(queue, id)
  if (place === 'missing') place = locate(queue, id)
  const key = `${ledger.path}\n${row.id}`
  if (place !== 'missing') missingSince.delete(key)
  switch (place) {
    case 'done':
    case 'failed':
      return ingestResult(ledger, row, place, options)
    case 'staged': {
      // Its dispatcher died between the commit and the move into new/: the move is finished here.
      const staged = findStagedSpec(queue, id)
      if (staged) completeStagedSpec(queue, id, staged)
      return false
    }
    case 'claimed':
    case 'moving':
      return markClaimed(ledger, row)
    case 'waiting':
      return markRequeued(ledger, row)
    case 'missing': {
      const since = missingSince.get(key) ?? ledger.now()
      missingSince.set(key, since)
      if (ledger.now() - since < (options.missingGraceMs ?? MISSING_GRACE_MS)) return false
      missingSince.delete(key)
      const failure: Failure = {
        class: 'crashed',
        message: `its queue file ${id}.md disappeared from ${queue} without a result`,
      }
      return recordOutcome(ledger, 'queue', row.id, { state: 'lost', failure }, NO_EXIT)
    }
  }
}

/** A drainer took it: the run is running (from the dashboard's clock, not the remote one). */
function markClaimed(ledger: Ledger, row: RunRow): boolean {
  return shiftState(ledger, row, { from: 'queued', to: 'running', event: 'run.started' })
}

/** Its claim went stale and it is back in new/, waiting for the next drainer. */
function markRequeued(ledger: Ledger, row: RunRow): boolean {
  const reason = 'its claim was not renewed in time'
  return shiftState(ledger, row, { from: 'running', to: 'queued', event: 'run.requeued', reason })
}

/** queued ⇄ running: the run, its card (if still the spec's latest run) and one event. */
function shiftState(
  ledger: Ledger,
  row: RunRow,
  shift: { from: string; to: 'queued' | 'running'; event: string; reason?: string },
): boolean {
  return ledger.change('queue', (change) => {
    if (requireRunRow(ledger, row.id).state !== shift.from) return false
    const started = shift.to === 'running' ? { startedAt: change.now } : {}
    ledger.db
      .update(runs)
      .set({ state: shift.to, ...started, updatedAt: change.now })
      .where(eq(runs.id, row.id))
      .run()
    ledger.db
      .update(specs)
      .set({ status: shift.to, updatedAt: change.now })
      .where(and(eq(specs.id, row.specId), eq(specs.runId, row.id)))
      .run()
    const reason = shift.reason ? { reason: shift.reason } : {}
    change.append({
      type: shift.event,
      subject: row.id,
      payload: { spec: row.specId, queue: row.cwd, ...reason },
    })
    return true
  })
}

function ingestResult(
  ledger: Ledger,
  row: RunRow,
  folder: ResultFolder,
  options: IngestOptions,
): boolean {
  const { outcome, exit, usage } = readOutcome(row, folder, options)
  // Shown as the run's log: the remote log itself stays in the queue's result folder.
  if (exit.logTail && !existsSync(join(row.runDir, RUN_FILES.log))) {
    writeFileSync(join(row.runDir, RUN_FILES.log), `${exit.logTail}\n`)
  }
  return ledger.change('queue', () => {
    if (!isRunActive(requireRunRow(ledger, row.id).state)) return false
    markClaimed(ledger, row)
    if (usage) recordUsage(ledger, row.id, usage)
    return recordOutcome(ledger, 'queue', row.id, outcome, exit)
  })
}

function readOutcome(row: RunRow, folder: ResultFolder, options: IngestOptions) {
  const queue = row.cwd
  const id = queueItemId(row)
  const bad = (problem: string) => ({
    outcome: {
      state: 'failed',
      failure: { class: 'bad_output', message: `${folder}/${resultName(id)}: ${problem}` },
    } as RunOutcome,
    exit: NO_EXIT,
    usage: undefined,
  })
  const reading = readResult(queue, folder, id)
  if (!reading.ok) return bad(reading.problem)
  const result = reading.result
  const exit: OutcomeExit = {
    code: result.exitCode,
    signal: result.signal,
    logTail: result.logTail ?? null,
  }
  const usage = result.usage && { ...NO_USAGE, ...result.usage }
  if (result.outcome === 'done') return { outcome: { state: 'done' } as RunOutcome, exit, usage }
  if (result.outcome === 'failed') {
    const failure = result.failure ?? {
      class: 'crashed',
      message: 'the drainer reported a failure',
    }
    return { outcome: { state: 'failed', failure } as RunOutcome, exit, usage }
  }
  const artifactDir = join(queue, folder, id)
  if (!isRealFolder(artifactDir)) return bad(`it says shipped, but ${folder}/${id}/ is no folder`)
  const artifact = readArtifact({
    outputDir: artifactDir,
    cwd: artifactDir,
    destination: join(
      options.artifactsDir ?? join(dirname(dirname(row.runDir)), 'artifacts'),
      row.id,
    ),
  })
  if (artifact.kind === 'none')
    return bad(`it says shipped, but ${folder}/${id}/artifact.json is missing`)
  if (artifact.kind === 'invalid') return bad(artifact.problem)
  return { outcome: { state: 'shipped', artifact: artifact.artifact } as RunOutcome, exit, usage }
}

/** A folder and not a link to one: the dashboard copies from it, and only from inside the queue. */
function isRealFolder(path: string): boolean {
  try {
    return lstatSync(path).isDirectory()
  } catch {
    return false
  }
}
