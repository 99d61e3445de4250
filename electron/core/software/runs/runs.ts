// The `runs` read model: finding runs, and the state changes the dispatcher and a run's supervisor
// record. Each change appends its event and updates runs/specs/usage in one transaction.
import { desc, eq, inArray } from 'drizzle-orm'
import type { BranchState, BranchStateName } from '../../../../shared/branch'
import type { SpecStatus, Stage } from '../../../../shared/domain'
import { FactoryError } from '../../../../shared/errors'
import {
  ACTIVE_RUN_STATES,
  isRunActive,
  lastLine,
  type Artifact,
  type Failure,
  type FailureClass,
  type Run,
  type RunBadge,
  type RunId,
  type RunReview,
  type RunState,
  type StageEvent,
  type Usage,
} from '../../../../shared/runs'
import type { Change, Ledger } from '../../db/ledger'
import { artifacts, runs, specs, usage as usageTable } from '../../db/schema'
import { readReviewerComments, readTimeline } from './transcript'

export type RunRow = typeof runs.$inferSelect

export function toRun(
  row: RunRow,
  specTitle: string,
  artifact: Artifact | null = null,
  timeline: StageEvent[] = [],
  review: RunReview | null = null,
  comments: string | null = null,
): Run {
  return {
    id: row.id as RunId,
    specId: row.specId,
    specTitle,
    agent: row.agent,
    runner: row.runner,
    state: row.state as RunState,
    failure: row.failureClass
      ? {
          class: row.failureClass as FailureClass,
          message: row.failureMessage ?? '',
          ...(row.resetAt !== null ? { resetAt: row.resetAt } : {}),
        }
      : null,
    exitCode: row.exitCode,
    signal: row.signal,
    argv: JSON.parse(row.argv) as string[],
    cwd: row.cwd,
    workspaceKind: row.workspaceKind as Run['workspaceKind'],
    branch: row.branch,
    baseRef: row.baseRef,
    followUpOf: row.followUpOf as RunId | null,
    placement: row.placement,
    stage: row.stage,
    stageStatus: row.stageStatus,
    usage: {
      inputTokens: row.inputTokens,
      outputTokens: row.outputTokens,
      cacheReadTokens: row.cacheReadTokens,
      cacheWriteTokens: row.cacheWriteTokens,
      costMicros: row.costMicros,
      turns: row.turns,
    },
    logTail: row.logTail,
    timeoutMs: row.timeoutMs,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    artifact,
    timeline,
    review,
    branchState: branchStateOf(row),
    comments,
  }
}

type BranchColumns = Pick<
  RunRow,
  'branchState' | 'baseRef' | 'branchCommits' | 'branchUncommitted' | 'mergeRefusal'
>

/** The branch state kept on the run row (review.ts writes it); null until it was checked. */
export function branchStateOf(row: BranchColumns): BranchState | null {
  if (!row.branchState) return null
  return {
    state: row.branchState as BranchStateName,
    into: row.baseRef ?? 'its base',
    commits: row.branchCommits,
    uncommitted: row.branchUncommitted,
    refusal: row.mergeRefusal,
  }
}

export function toBadge(
  row: Pick<
    RunRow,
    | 'id'
    | 'state'
    | 'stage'
    | 'failureClass'
    | 'logTail'
    | 'placement'
    | 'artifactName'
    | 'artifactVersion'
    | 'artifactUrl'
  > &
    BranchColumns,
): RunBadge {
  return {
    id: row.id as RunId,
    state: row.state as RunState,
    stage: row.stage,
    placement: row.placement,
    failureClass: row.failureClass as FailureClass | null,
    tail: row.state === 'failed' || row.state === 'lost' ? lastLine(row.logTail) : null,
    artifact:
      row.artifactName !== null
        ? { name: row.artifactName, version: row.artifactVersion ?? '', url: row.artifactUrl ?? '' }
        : null,
    branchState: branchStateOf(row),
  }
}

export function findRunRow(ledger: Ledger, id: string): RunRow | undefined {
  return ledger.db.select().from(runs).where(eq(runs.id, id)).get()
}

export function requireRunRow(ledger: Ledger, id: string): RunRow {
  const row = findRunRow(ledger, id)
  if (!row) throw new FactoryError('RunNotFound', `no run with id "${id}" (see: factory runs)`)
  return row
}

export function findArtifact(ledger: Ledger, runId: string): Artifact | null {
  const row = ledger.db.select().from(artifacts).where(eq(artifacts.runId, runId)).get()
  if (!row) return null
  return { ...row, runId: row.runId as RunId, screenshots: JSON.parse(row.screenshots) as string[] }
}

export function requireRun(ledger: Ledger, id: string): Run {
  const row = requireRunRow(ledger, id)
  return toRun(
    row,
    specTitle(ledger, row.specId),
    findArtifact(ledger, id),
    readTimeline(row.runDir),
    findReview(ledger, row),
    row.followUpOf ? readReviewerComments(row.runDir) : null,
  )
}

/**
 * The newest merge or discard of this run's branch (through any run on it) since this run began,
 * from the log: a follow-up started after a merge has new work to merge.
 */
function findReview(ledger: Ledger, row: RunRow): RunReview | null {
  const found = ledger.sqlite
    .prepare(
      `SELECT type, ts, subject, payload FROM events
       WHERE type IN ('run.merged', 'run.discarded')
         AND subject IN (SELECT id FROM runs WHERE id = ? OR (branch IS NOT NULL AND branch = ?))
         AND ts >= ?
       ORDER BY seq DESC LIMIT 1`,
    )
    .get(row.id, row.branch, row.createdAt) as
    { type: string; ts: number; subject: string; payload: string } | undefined
  if (!found) return null
  const payload = JSON.parse(found.payload) as { commit?: string }
  return {
    action: found.type === 'run.merged' ? 'merged' : 'discarded',
    runId: found.subject as RunId,
    at: found.ts,
    ...(payload.commit ? { commit: payload.commit } : {}),
  }
}

function specTitle(ledger: Ledger, specId: string): string {
  const spec = ledger.db
    .select({ title: specs.title })
    .from(specs)
    .where(eq(specs.id, specId))
    .get()
  return spec?.title ?? specId
}

export function listRuns(ledger: Ledger, filter: { specId?: string; limit?: number } = {}): Run[] {
  const query = ledger.db.select().from(runs)
  const rows = (filter.specId ? query.where(eq(runs.specId, filter.specId)) : query)
    .orderBy(desc(runs.createdAt), desc(runs.id))
    .limit(filter.limit ?? 200)
    .all()
  const titles = new Map<string, string>()
  return rows.map((row) => {
    if (!titles.has(row.specId)) titles.set(row.specId, specTitle(ledger, row.specId))
    return toRun(row, titles.get(row.specId)!)
  })
}

export function activeRunRows(ledger: Ledger): RunRow[] {
  return ledger.db
    .select()
    .from(runs)
    .where(inArray(runs.state, [...ACTIVE_RUN_STATES]))
    .all()
}

export function nextRunId(ledger: Ledger): RunId {
  const row = ledger.sqlite.prepare('SELECT count(*) + 1 AS n FROM runs').get() as { n: number }
  return `r_${row.n}`
}

/** Updates the run row and the spec it works on (status, stage) in the current transaction. */
function setRun(ledger: Ledger, change: Change, id: string, values: Partial<RunRow>): void {
  ledger.db
    .update(runs)
    .set({ ...values, updatedAt: change.now })
    .where(eq(runs.id, id))
    .run()
}

function setSpec(
  ledger: Ledger,
  change: Change,
  specId: string,
  values: { status: SpecStatus; stage?: Stage },
): void {
  ledger.db
    .update(specs)
    .set({ ...values, updatedAt: change.now })
    .where(eq(specs.id, specId))
    .run()
}

export interface ProcessIds {
  supervisorPid: number
  supervisorIdentity: string | null
  childPid: number
  childIdentity: string | null
}

/** False when the run is no longer starting (it was cancelled meanwhile): the caller stops. */
export function recordStarted(ledger: Ledger, id: string, ids: ProcessIds): boolean {
  return ledger.change('supervisor', (change) => {
    const row = requireRunRow(ledger, id)
    if (row.state !== 'starting') return false
    setRun(ledger, change, id, { state: 'running', startedAt: change.now, ...ids })
    change.append({
      type: 'run.started',
      subject: id,
      payload: { spec: row.specId, supervisorPid: ids.supervisorPid, childPid: ids.childPid },
    })
    return true
  })
}

/**
 * The supervisor names itself before it starts anything, in the transaction that checks the run
 * is still starting: a run recovery already gave up on (its dispatcher died) never gets an agent.
 */
export function claimRun(
  ledger: Ledger,
  id: string,
  supervisor: { supervisorPid: number; supervisorIdentity: string | null },
): boolean {
  return ledger.change('supervisor', (change) => {
    if (requireRunRow(ledger, id).state !== 'starting') return false
    setRun(ledger, change, id, supervisor)
    return true
  })
}

/** The agent after a setup command: cancel and recovery must find it, not the finished setup. */
export function recordChild(
  ledger: Ledger,
  id: string,
  child: { childPid: number; childIdentity: string | null },
): void {
  ledger.change('supervisor', (change) => setRun(ledger, change, id, child))
}

export function recordProgress(
  ledger: Ledger,
  id: string,
  progress: { stage: string; status: string; message?: string },
): void {
  ledger.change('supervisor', (change) => {
    setRun(ledger, change, id, { stage: progress.stage, stageStatus: progress.status })
    change.append({ type: 'run.progress', subject: id, payload: progress })
  })
}

/** Adds a usage delta: a row in `usage` (for quota windows) and the run's running total. */
export function recordUsage(ledger: Ledger, id: string, delta: Usage): void {
  if (Object.values(delta).every((v) => v === 0)) return
  ledger.change('supervisor', (change) => {
    const row = requireRunRow(ledger, id)
    ledger.db
      .insert(usageTable)
      .values({ runId: id, agent: row.agent, ts: change.now, ...delta, source: 'run' })
      .run()
    setRun(ledger, change, id, {
      inputTokens: row.inputTokens + delta.inputTokens,
      outputTokens: row.outputTokens + delta.outputTokens,
      cacheReadTokens: row.cacheReadTokens + delta.cacheReadTokens,
      cacheWriteTokens: row.cacheWriteTokens + delta.cacheWriteTokens,
      costMicros: row.costMicros + delta.costMicros,
      turns: row.turns + delta.turns,
    })
    change.append({ type: 'run.usage', subject: id, payload: { agent: row.agent, ...delta } })
  })
}

export type RunOutcome =
  | { state: 'shipped'; artifact: Omit<Artifact, 'runId' | 'specId' | 'createdAt'> }
  | { state: 'done' }
  | { state: 'failed'; failure: Failure }
  | { state: 'lost'; failure: Failure }

export interface OutcomeExit {
  code: number | null
  signal: string | null
  logTail: string | null
}

/** The end of a run no process of ours ended (cancelled before it started, taken back, lost). */
export const NO_EXIT: OutcomeExit = { code: null, signal: null, logTail: null }

/**
 * The end of a run: its row, its spec's card and (when shipped) the artifact, in one commit.
 * Returns false (and writes nothing) when the run has already ended, or is no longer in
 * `onlyFrom` when that is given.
 */
export function recordOutcome(
  ledger: Ledger,
  actor: string,
  id: string,
  outcome: RunOutcome,
  exit: OutcomeExit,
  onlyFrom?: RunState,
): boolean {
  return ledger.change(actor, (change) => {
    const row = requireRunRow(ledger, id)
    if (!isRunActive(row.state)) return false // already ended (e.g. lost)
    if (onlyFrom && row.state !== onlyFrom) return false
    const failure = outcome.state === 'failed' || outcome.state === 'lost' ? outcome.failure : null
    const shipped = outcome.state === 'shipped' ? outcome.artifact : null
    setRun(ledger, change, id, {
      artifactName: shipped?.name ?? null,
      artifactVersion: shipped?.version ?? null,
      artifactUrl: shipped?.url ?? null,
      state: outcome.state,
      endedAt: change.now,
      exitCode: exit.code,
      signal: exit.signal,
      logTail: exit.logTail,
      failureClass: failure?.class ?? null,
      failureMessage: failure?.message ?? null,
      resetAt: failure?.resetAt ?? null,
    })
    // A newer run of the same spec owns the card; an older one ending late must not repaint it.
    const ownsCard = isLatestRun(ledger, row.specId, id)
    if (outcome.state === 'shipped') {
      ledger.db
        .insert(artifacts)
        .values({
          ...outcome.artifact,
          screenshots: JSON.stringify(outcome.artifact.screenshots),
          runId: id,
          specId: row.specId,
          createdAt: change.now,
        })
        .run()
      if (ownsCard) setSpec(ledger, change, row.specId, { status: 'shipped', stage: 'marketing' })
      change.append({
        type: 'run.shipped',
        subject: id,
        payload: { spec: row.specId, agent: row.agent, artifact: outcome.artifact },
      })
      return true
    }
    if (ownsCard) {
      setSpec(ledger, change, row.specId, {
        status: outcome.state === 'done' ? 'review' : 'failed',
      })
    }
    change.append({
      type: `run.${outcome.state}`,
      subject: id,
      payload: {
        spec: row.specId,
        agent: row.agent,
        exitCode: exit.code,
        signal: exit.signal,
        ...(failure ? { failure } : {}),
      },
    })
    return true
  })
}

function isLatestRun(ledger: Ledger, specId: string, runId: string): boolean {
  const spec = ledger.db
    .select({ runId: specs.runId })
    .from(specs)
    .where(eq(specs.id, specId))
    .get()
  return spec?.runId === runId
}
