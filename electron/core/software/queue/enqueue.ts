// The dashboard's side of handing a spec to a remote agent: a run in state `queued` and a file in
// the agent's queue directory (docs/queue.md), staged inside the run's transaction so that a failed
// write leaves no run behind, and moved into new/ once it committed (maildir.ts: stageSpec).
// Cancelling takes the file back out of the queue.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { FactoryError } from '../../../../shared/errors'
import type { Run } from '../../../../shared/runs'
import { requireAgent } from '../../agents'
import type { Ledger } from '../../db/ledger'
import { runs } from '../../db/schema'
import {
  assignSpec,
  checkRefusals,
  freshRunDir,
  specFileText,
  type DispatchRequest,
  type RunHost,
} from '../runs/dispatch'
import { recordOutcome, requireRun, nextRunId, type RunRow, NO_EXIT } from '../runs/runs'
import { RUN_FILES } from '../runs/transcript'
import { completeStagedSpec, ensureQueue, specName, stageSpec, withdraw } from './maildir'
import { formatQueueSpec } from './specFile'

/** A queue run's `workspace_kind`: its cwd is the queue directory, nothing runs here. */
export const QUEUE_WORKSPACE = 'queue'

export function isQueueRun(row: Pick<RunRow, 'workspaceKind'>): boolean {
  return row.workspaceKind === QUEUE_WORKSPACE
}

/**
 * The item's id: the run id, and when it was made, so two ledgers sharing a queue never take each
 * other's results for their own r_12.
 */
export function queueItemId(run: Pick<RunRow, 'id' | 'createdAt'>): string {
  return `${run.id}-${run.createdAt.toString(36)}`
}

function checkQueue(ledger: Ledger, request: DispatchRequest) {
  // A lane without a queue is the first thing to say: its capacity is beside the point.
  const target = requireAgent(ledger, request.agent)
  if (!target.queue) {
    throw new FactoryError(
      'InvalidInput',
      `${target.name} has no queue; give it one: factory agent set ${target.name} --queue DIR`,
    )
  }
  return { ...checkRefusals(ledger, request), queue: target.queue }
}

export function enqueueRun(
  ledger: Ledger,
  host: Pick<RunHost, 'filesDir'>,
  actor: string,
  request: DispatchRequest,
): Run {
  checkQueue(ledger, request)
  const queued = ledger.change(actor, (change) => {
    // Checked again inside the transaction: another process may have dispatched meanwhile.
    const { spec, agent, queue } = checkQueue(ledger, request)
    const id = nextRunId(ledger)
    const runDir = freshRunDir(host.filesDir, id)
    mkdirSync(runDir, { recursive: true })
    const text = specFileText(spec, request.comments)
    writeFileSync(join(runDir, RUN_FILES.spec), text)
    const row = { id, createdAt: change.now }
    ledger.db
      .insert(runs)
      .values({
        ...row,
        specId: spec.id,
        agent: agent.name,
        runner: agent.runner,
        state: 'queued',
        argv: '[]',
        cwd: queue,
        workspaceKind: QUEUE_WORKSPACE,
        runDir,
        followUpOf: request.followUpOf ?? null,
        placement: request.reason ?? null,
        timeoutMs: agent.timeoutMs,
        updatedAt: change.now,
      })
      .run()
    assignSpec(
      ledger,
      change,
      { spec, agent, runId: id, request },
      { status: 'queued', branch: spec.branch },
      { queue },
    )
    const item = {
      id: queueItemId(row),
      run: id,
      spec: spec.id,
      title: spec.title,
      agent: agent.name,
      priority: spec.priority,
      tags: spec.tags,
      created: new Date(change.now).toISOString(),
      ...(request.followUpOf ? { followUpOf: request.followUpOf } : {}),
    }
    try {
      ensureQueue(queue)
      const staged = stageSpec(queue, item.id, formatQueueSpec(item, text), change.now)
      return { id, queue, itemId: item.id, staged }
    } catch (error) {
      throw new FactoryError(
        'WorkspaceError',
        `cannot write to ${agent.name}'s queue ${queue}: ${(error as Error).message}`,
      )
    }
  })
  try {
    completeStagedSpec(queued.queue, queued.itemId, queued.staged)
  } catch {
    // The run is recorded: the next look at the queue (ingest.ts) moves its file on.
  }
  return requireRun(ledger, queued.id)
}

/** Where a queue run's file waits (or waited) in new/. */
export function queuedFilePath(row: Pick<RunRow, 'id' | 'createdAt' | 'cwd'>): string {
  return join(row.cwd, 'new', specName(queueItemId(row)))
}

/**
 * Cancels a queue run at once: its file leaves new/ (or its claim leaves cur/, which tells the
 * drainer to stop at its next renewal), and a result that still comes is ignored.
 */
export function cancelQueueRun(ledger: Ledger, actor: string, row: RunRow): Run {
  ledger.change(actor, (change) => {
    change.append({ type: 'run.cancel_requested', subject: row.id, payload: { spec: row.specId } })
  })
  let withdrawn = false
  try {
    withdrawn = withdraw(row.cwd, queueItemId(row))
  } catch {
    // The queue is out of reach (an unmounted share): the run is cancelled all the same.
  }
  const where = withdrawn ? 'taken out of the queue' : 'its queue file was already gone'
  recordOutcome(
    ledger,
    actor,
    row.id,
    {
      state: 'failed',
      failure: { class: 'cancelled', message: `cancelled by ${actor}; ${where}` },
    },
    NO_EXIT,
  )
  return requireRun(ledger, row.id)
}
