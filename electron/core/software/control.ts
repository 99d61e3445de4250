// Controlling runs after dispatch: cancel, retry, request changes, and finding runs whose
// supervisor died (the machine rebooted, someone killed it) so they never sit "running" forever.
import { FactoryError } from '../../../shared/errors'
import { isRunActive, type Run } from '../../../shared/runs'
import type { Ledger } from '../db/ledger'
import { dispatchRun, type RunHost } from './dispatch'
import { isAlive, isSupervisorOf, killTreeNow } from './processTree'
import { activeRunRows, recordOutcome, requireRun, requireRunRow, type RunRow } from './runs'
import { logTail } from './transcript'

/** How long a dispatched run may wait for its supervisor to record its pid before it counts as lost. */
const START_GRACE_MS = 30_000

function isActive(row: RunRow): boolean {
  return isRunActive(row.state)
}

/**
 * Asks the run's supervisor to stop the whole process tree; it records `cancelled` itself moments
 * later (callers that want to wait watch the ledger). With no live supervisor, the tree is killed
 * and the run recorded here.
 */
export function cancelRun(ledger: Ledger, actor: string, id: string): Run {
  const row = requireRunRow(ledger, id)
  if (!isActive(row)) {
    throw new FactoryError('RunNotActive', `${id} is not running (it is ${row.state})`)
  }
  ledger.change(actor, (change) => {
    change.append({ type: 'run.cancel_requested', subject: id, payload: { spec: row.specId } })
  })
  if (row.state === 'starting') {
    // Nothing of the agent runs yet: record it now; a supervisor still starting sees the run is no
    // longer `starting` and stops before (or right after) spawning anything.
    recordOutcome(
      ledger,
      actor,
      id,
      {
        state: 'failed',
        failure: { class: 'cancelled', message: `cancelled by ${actor} before it started` },
      },
      { code: null, signal: null, logTail: null },
    )
    if (row.supervisorPid && isSupervisorOf(row.supervisorPid, id, ledger.path))
      process.kill(row.supervisorPid, 'SIGTERM')
    return requireRun(ledger, id)
  }
  if (row.supervisorPid && isSupervisorOf(row.supervisorPid, id, ledger.path)) {
    process.kill(row.supervisorPid, 'SIGTERM')
    return requireRun(ledger, id)
  }
  if (row.childPid && isAlive(row.childPid)) killTreeNow(row.childPid)
  recordOutcome(
    ledger,
    actor,
    id,
    { state: 'failed', failure: { class: 'cancelled', message: `cancelled by ${actor}` } },
    { code: null, signal: null, logTail: logTail(row.runDir) },
  )
  return requireRun(ledger, id)
}

/** The same spec again, on the same agent and the same branch. */
export function retryRun(ledger: Ledger, host: RunHost, actor: string, id: string): Run {
  const row = requireRunRow(ledger, id)
  if (isActive(row)) throw new FactoryError('SpecBusy', `${id} is still running; cancel it first`)
  return dispatchRun(ledger, host, actor, { specId: row.specId, agent: row.agent })
}

/** A follow-up run in the same worktree, with the reviewer's comments in its spec file. */
export function requestChanges(
  ledger: Ledger,
  host: RunHost,
  actor: string,
  id: string,
  comments: string,
): Run {
  const row = requireRunRow(ledger, id)
  if (isActive(row)) throw new FactoryError('SpecBusy', `${id} is still running; wait or cancel it`)
  return dispatchRun(ledger, host, actor, {
    specId: row.specId,
    agent: row.agent,
    followUpOf: id,
    comments,
  })
}

/**
 * Marks `lost` every active run whose supervisor is gone, keeping its log; stops whatever of its
 * agent still runs. Cheap (an indexed query and a few pid checks), so hosts call it at start and
 * now and then. Returns the runs it marked.
 */
export function recoverLostRuns(ledger: Ledger, now = Date.now()): string[] {
  const lost: string[] = []
  for (const row of activeRunRows(ledger)) {
    const supervised = row.supervisorPid
      ? isSupervisorOf(row.supervisorPid, row.id, ledger.path)
      : now - row.createdAt < START_GRACE_MS
    if (supervised) continue
    if (row.childPid && isAlive(row.childPid)) killTreeNow(row.childPid)
    recordOutcome(
      ledger,
      'recovery',
      row.id,
      {
        state: 'lost',
        failure: {
          class: 'crashed',
          message: row.supervisorPid
            ? `its supervisor (pid ${row.supervisorPid}) stopped without recording a result; the log is kept`
            : 'its supervisor never started; the log is kept',
        },
      },
      { code: null, signal: null, logTail: logTail(row.runDir) },
    )
    lost.push(row.id)
  }
  return lost
}
