// Controlling runs after dispatch: cancel, retry, request changes, and finding runs whose
// supervisor died (the machine rebooted, someone killed it) so they never sit "running" forever.
import { FactoryError } from '../../../../shared/errors'
import { isRunActive, type Run } from '../../../../shared/runs'
import type { Ledger } from '../../db/ledger'
import { dispatchRun, type RunHost } from './dispatch'
import { releaseSpace } from './diskSpace'
import { readOutcomeFile } from './outcome'
import { cancelQueueRun, isQueueRun } from '../queue/enqueue'
import { isSameProcess, killTreeNow, runMarker } from './processTree'
import {
  activeRunRows,
  recordOutcome,
  requireRun,
  requireRunRow,
  type RunRow,
  NO_EXIT,
} from './runs'
import { logTail } from './transcript'

/** How long a run of an older ledger (no dispatcher recorded) may wait for its supervisor's pid. */
const START_GRACE_MS = 30_000

function supervised(row: RunRow): boolean {
  return isSameProcess(row.supervisorPid, row.supervisorIdentity)
}

/**
 * No supervisor named yet: the process that dispatched it is about to name one, as long as it
 * lives. Runs recorded before the dispatcher was (an older ledger) get a grace period instead.
 */
function mayStillStart(row: RunRow, now: number): boolean {
  if (row.dispatcherPid !== null) return isSameProcess(row.dispatcherPid, row.dispatcherIdentity)
  return now - row.createdAt < START_GRACE_MS
}

function signalSupervisor(row: RunRow): void {
  try {
    process.kill(row.supervisorPid!, 'SIGTERM')
  } catch {
    // it ended between the check and the signal: its own outcome stands
  }
}

/**
 * Asks the run's supervisor to stop the whole process tree; it records `cancelled` itself moments
 * later (callers that want to wait watch the ledger). With no live supervisor, the tree is killed
 * and the run recorded here.
 */
export function cancelRun(ledger: Ledger, actor: string, id: string): Run {
  const row = requireRunRow(ledger, id)
  if (!isRunActive(row.state)) {
    throw new FactoryError('RunNotActive', `${id} is not running (it is ${row.state})`)
  }
  if (isQueueRun(row)) return cancelQueueRun(ledger, actor, row)
  ledger.change(actor, (change) => {
    change.append({ type: 'run.cancel_requested', subject: id, payload: { spec: row.specId } })
  })
  // Nothing of the agent runs yet: record it now (only if it is still starting, checked in the
  // same transaction); a supervisor still starting sees that and stops before spawning anything.
  const cancelledEarly = recordOutcome(
    ledger,
    actor,
    id,
    {
      state: 'failed',
      failure: { class: 'cancelled', message: `cancelled by ${actor} before it started` },
    },
    NO_EXIT,
    'starting',
  )
  const current = requireRunRow(ledger, id)
  if (supervised(current)) {
    signalSupervisor(current)
    return requireRun(ledger, id)
  }
  if (cancelledEarly) return requireRun(ledger, id)
  killTreeNow(
    isSameProcess(current.childPid, current.childIdentity) ? current.childPid : null,
    runMarker(current.runDir),
  )
  recordOutcome(
    ledger,
    actor,
    id,
    { state: 'failed', failure: { class: 'cancelled', message: `cancelled by ${actor}` } },
    { code: null, signal: null, logTail: logTail(current.runDir) },
  )
  return requireRun(ledger, id)
}

/** The same spec again, on the same agent and the same branch. */
export function retryRun(ledger: Ledger, host: RunHost, actor: string, id: string): Run {
  const row = requireRunRow(ledger, id)
  if (isRunActive(row.state))
    throw new FactoryError('SpecBusy', `${id} is still running; cancel it first`)
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
  if (isRunActive(row.state))
    throw new FactoryError('SpecBusy', `${id} is still running; wait or cancel it`)
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
    // A queue run has no supervisor here: its files say how it goes (ingestQueues).
    if (isQueueRun(row)) continue
    const alive = row.supervisorPid ? supervised(row) : mayStillStart(row, now)
    if (alive) continue
    killTreeNow(
      isSameProcess(row.childPid, row.childIdentity) ? row.childPid : null,
      runMarker(row.runDir),
    )
    // A supervisor killed mid-run leaves its reserve behind: the disk gets it back.
    releaseSpace(row.runDir)
    // A supervisor that decided the outcome but could not commit it left it on disk.
    const decided = readOutcomeFile(row.runDir)
    if (decided) {
      recordOutcome(ledger, 'recovery', row.id, decided.outcome, decided.exit)
      continue
    }
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
