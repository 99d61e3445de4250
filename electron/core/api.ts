// The handlers that implement shared/api.ts, once, for every host. Each receives input already
// validated by the operation's zod schema and the actor (which host, which person) doing it.
import type { OperationName, Output, ParsedInput } from '../../shared/api'
import { SATURATION_BUCKETS } from '../../shared/saturation'
import { addAgent, editAgent, listAgents, pauseAgent, removeAgent, resumeAgent } from './agents'
import { readBoard } from './board'
import type { Ledger } from './db/ledger'
import { cancelRun, requestChanges, retryRun } from './software/runs/control'
import { dispatchRun, type RunHost } from './software/runs/dispatch'
import { enqueueRun } from './software/queue/enqueue'
import { readUsage } from './software/capacity/quotas'
import { readSaturation } from './software/capacity/saturation'
import { syncUsageSources } from './software/usageSources/sync'
import { discardRun, diffRun, mergeRun, pendingRunWork } from './software/runs/review'
import { listRuns, requireRun, requireRunRow } from './software/runs/runs'
import { readLog, readTranscript } from './software/runs/transcript'
import { changeSettings, readSettings } from './settings'
import { allocateRound } from './software/capacity/allocate'
import {
  addSpec,
  editSpec,
  listSpecs,
  moveSpec,
  queueSpec,
  requireSpec,
  unqueueSpec,
} from './specs'

export interface CallContext {
  ledger: Ledger
  /** Who did it, as the log shows it: "cli", "desktop", "browser". */
  actor: string
  runs: RunHost
}

export type Handlers = {
  [Op in OperationName]: (input: ParsedInput<Op>, context: CallContext) => Output<Op>
}

export const handlers: Handlers = {
  'agent/add': (input, { ledger, actor }) => addAgent(ledger, actor, input),
  'agent/edit': (input, { ledger, actor }) => editAgent(ledger, actor, input),
  'agent/list': (_input, { ledger }) => listAgents(ledger),
  'agent/pause': (input, { ledger, actor }) => pauseAgent(ledger, actor, input),
  'agent/resume': (input, { ledger, actor }) => resumeAgent(ledger, actor, input.name),
  'usage/get': (input, { ledger }) => readUsage(ledger, ledger.now(), input.agent),
  'usage/sync': (input, { ledger }) =>
    syncUsageSources(ledger, { now: ledger.now(), ...(input.agent ? { only: input.agent } : {}) }),
  'usage/saturation': (input, { ledger }) =>
    readSaturation(ledger, {
      now: ledger.now(),
      days: input.days,
      bucketMs: SATURATION_BUCKETS[input.bucket],
    }),
  'agent/remove': (input, { ledger, actor }) => removeAgent(ledger, actor, input),
  'spec/add': (input, { ledger, actor }) => addSpec(ledger, actor, input),
  'spec/list': (input, { ledger }) => listSpecs(ledger, input),
  'spec/get': (input, { ledger }) => requireSpec(ledger, input.id),
  'spec/move': (input, { ledger, actor }) => moveSpec(ledger, actor, input),
  'spec/edit': (input, { ledger, actor }) => editSpec(ledger, actor, input),
  'spec/queue': (input, { ledger, actor }) => queueSpec(ledger, actor, input),
  'spec/unqueue': (input, { ledger, actor }) => unqueueSpec(ledger, actor, input),
  'settings/get': (_input, { ledger }) => readSettings(ledger),
  'settings/set': (input, { ledger, actor }) => changeSettings(ledger, actor, input),
  'allocator/round': (input, { ledger, actor, runs }) =>
    allocateRound(ledger, runs, actor, { dryRun: input.dryRun }),
  'board/get': (_input, { ledger }) => readBoard(ledger),
  'run/dispatch': (input, { ledger, actor, runs }) =>
    dispatchRun(ledger, runs, actor, { specId: input.spec, agent: input.agent }),
  'queue/enqueue': (input, { ledger, actor, runs }) =>
    enqueueRun(ledger, runs, actor, { specId: input.spec, agent: input.target }),
  'run/list': (input, { ledger }) =>
    listRuns(ledger, { limit: input.limit, ...(input.spec ? { specId: input.spec } : {}) }),
  'run/get': (input, { ledger }) => requireRun(ledger, input.id),
  'run/transcript': (input, { ledger }) => {
    const row = requireRunRow(ledger, input.id)
    return readTranscript(
      row.runDir,
      input.id,
      requireRun(ledger, input.id).state,
      input.from,
      input.limit,
    )
  },
  'run/log': (input, { ledger }) =>
    readLog(requireRunRow(ledger, input.id).runDir, input.id, input.offset, input.limit),
  'run/cancel': (input, { ledger, actor }) => cancelRun(ledger, actor, input.id),
  'run/retry': (input, { ledger, actor, runs }) => retryRun(ledger, runs, actor, input.id),
  'run/request-changes': (input, { ledger, actor, runs }) =>
    requestChanges(ledger, runs, actor, input.id, input.comments),
  'run/diff': (input, { ledger }) => diffRun(ledger, input.id),
  'run/pending': (input, { ledger }) => pendingRunWork(ledger, input.id),
  'run/merge': (input, { ledger, actor }) => mergeRun(ledger, actor, input.id),
  'run/discard': (input, { ledger, actor, runs }) =>
    discardRun(ledger, runs, actor, input.id, input.confirmLoss),
  'log/list': (input, { ledger }) => {
    // Newest last: the last `limit` events after `after`.
    if (input.after !== undefined) return ledger.eventsAfter(input.after, input.limit)
    return ledger.eventsAfter(Math.max(0, ledger.latestSeq() - input.limit), input.limit)
  },
}
