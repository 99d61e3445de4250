// Dispatch: a spec and an agent become a run. Everything that can be refused (no such CLI, a spec
// already running, a missing workspace) is refused before anything is written; the run row, its
// folder and its worktree are made in one transaction; then a detached supervisor takes over.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { isPinnedTo, type Agent, type Spec, type SpecStatus } from '../../../../shared/domain'
import { FactoryError } from '../../../../shared/errors'
import { laneAvailability } from '../../../../shared/availability'
import { isRunActive, type Run } from '../../../../shared/runs'
import { findAgent, requireAgent } from '../../agents'
import type { Change, Ledger } from '../../db/ledger'
import { runs, specs } from '../../db/schema'
import { requireSpec } from '../../specs'
import { childPath, resolveCli } from '../presets/cliPath'
import { launchSupervisor, type SupervisorCommand, type SupervisorStandby } from './launch'
import { followSoftwareReactors } from '../capacity/holding'
import { presetFor } from '../presets'
import { enqueueRun } from '../queue/enqueue'
import { processIdentity } from './processTree'
import { readUsage } from '../capacity/quotas'
import { readSetting } from '../../settings'
import {
  activeRunRows,
  recordOutcome,
  requireRun,
  requireRunRow,
  nextRunId,
  type RunRow,
  NO_EXIT,
} from './runs'
import { REVIEW_HEADING, RUN_FILES } from './transcript'
import { abandonWorktree, isRepository, prepareWorkspace } from './workspace'

/** What the engine knows about where runs live and how to start their supervisors. */
export interface RunHost {
  dbPath: string
  /** The folder the ledger sits in: the user's blueprints folder is there. */
  dataDir: string
  /** The ledger's own files (run folders, worktrees, artifacts): `<ledger>.files`, its alone. */
  filesDir: string
  env: NodeJS.ProcessEnv
  supervisor: () => SupervisorCommand
  /** Folders searched for agent CLIs: PATH, the login shell's PATH, common install folders. */
  searchDirs: () => string[]
  /** A supervisor started ahead of time (long-lived hosts only). */
  standby?: SupervisorStandby
}

export interface DispatchRequest {
  specId: string
  agent: string
  /** A follow-up after review: same worktree, the reviewer's comments added to the spec file. */
  followUpOf?: string
  comments?: string
  /** Why the allocator chose this lane, kept in the dispatch event and on the run. */
  reason?: string
}

export function specFileText(spec: Spec, comments?: string): string {
  const parts = [`# ${spec.title}`, '', spec.body.trimEnd()]
  if (comments) parts.push('', REVIEW_HEADING, '', comments.trimEnd())
  return `${parts.join('\n')}\n`
}

/** The prompt names files instead of carrying the spec: no spec text ever lands in an argv. */
function promptFor(specFile: string, outputDir: string, followUp: boolean): string {
  return [
    followUp
      ? `A reviewer requested changes to your previous work in this directory. Read the spec and their comments in ${specFile}, then make the changes.`
      : `Read the spec in ${specFile} and implement it in the current directory.`,
    `Report progress by appending JSON lines like {"stage":"build","status":"started","message":"…"} to ${outputDir}/progress.jsonl.`,
    `If you ship a release, write ${outputDir}/artifact.json with name, version, url, changelog (markdown) and screenshots (paths).`,
  ].join('\n')
}

function activeRunOf(ledger: Ledger, specId: string): RunRow | undefined {
  return ledger.db
    .select()
    .from(runs)
    .where(eq(runs.specId, specId))
    .all()
    .find((row) => isRunActive(row.state))
}

function agentBin(agent: Agent): string {
  if (agent.runner === 'command') {
    const first = agent.command?.[0]
    if (!first) {
      throw new FactoryError(
        'InvalidInput',
        `agent ${agent.name} runs a command but has none; set it: factory agent add ${agent.name} --runner command --command "ARGV with {specFile}"`,
      )
    }
    return first
  }
  return presetFor(agent.runner).defaultBin
}

/** Refusals that need no write: a missing spec or agent, a spec already running, a missing CLI. */
function checkDispatch(ledger: Ledger, request: DispatchRequest, dirs: string[]) {
  const { spec, agent } = checkRefusals(ledger, request)
  return { spec, agent, bin: agentCli(agent, dirs) }
}

/** Every refusal but the CLI lookup: a queue agent's CLI is on the machine that drains it. */
export function checkRefusals(ledger: Ledger, request: DispatchRequest) {
  const spec = requireSpec(ledger, request.specId)
  const agent = requireAgent(ledger, request.agent)
  const busy = activeRunOf(ledger, spec.id)
  if (busy) {
    throw new FactoryError(
      'SpecBusy',
      `${spec.id} is already running as ${busy.id}; cancel it first (factory run cancel ${busy.id})`,
    )
  }
  // A follow-up continues work already started; a first run waits for what it depends on.
  if (!request.followUpOf && spec.waitingOn.length > 0) {
    throw new FactoryError(
      'SpecNotReady',
      `${spec.id} waits for ${spec.waitingOn.join(', ')} to ship; queue it instead (factory spec queue ${spec.id} --agent ${agent.name}) and it starts by itself`,
    )
  }
  // A remote lane's queue is a queue: a person may put in as many as they like, and its drainer
  // takes them in turn. The allocator (whose dispatches carry a reason) keeps no more than the
  // lane's cap there, so work it placed stays movable to a lane that frees up first.
  const intoQueueByHand = agent.queue !== null && !request.reason
  refuseIfUnavailable(ledger, agent, intoQueueByHand)
  return { spec, agent }
}

/** The agent's CLI as a full path; throws AgentCliMissing saying where it looked and the fix. */
export function agentCli(agent: Agent, dirs: string[]): string {
  return resolveCli(agentBin(agent), {
    dirs,
    agent: agent.name,
    ...(agent.bin ? { explicitPath: agent.bin } : {}),
  })
}

/**
 * An agent that cannot take work now says why, in words the board shows on a refused drop: it is
 * disabled, paused, at its concurrency cap, a quota window is used up, or the factory as a whole
 * is running as many runs as the global cap allows.
 */
function refuseIfUnavailable(ledger: Ledger, agent: Agent, intoQueue = false): void {
  const [usage] = readUsage(ledger, ledger.now(), agent.name)
  if (!usage) return
  const availability = laneAvailability(usage)
  if (!availability.ok && !(intoQueue && availability.kind === 'cap')) {
    throw new FactoryError('AgentUnavailable', `${agent.name} ${availability.reason}`)
  }
  // What waits in a remote queue runs there, in its turn, not here and now.
  if (intoQueue) return
  const cap = readSetting(ledger, 'maxConcurrentRuns')
  if (cap !== null && activeRunRows(ledger).length >= cap) {
    throw new FactoryError(
      'AgentUnavailable',
      `the factory is running ${cap} run${cap === 1 ? '' : 's'}, its global limit (factory settings --max-runs N)`,
    )
  }
}

/**
 * A run folder left by an older ledger (the ledger was deleted, its files were not) is set aside.
 * Called inside the transaction that takes the id, so the folder is never a live run's.
 */
export function freshRunDir(filesDir: string, id: string): string {
  const runDir = join(filesDir, 'runs', id)
  if (existsSync(runDir)) renameSync(runDir, `${runDir}.stale-${Date.now()}`)
  return runDir
}

/**
 * The card goes to the agent's lane with its new run, and the log says where it came from: the
 * same for a local run and a queued one (`extra` adds to the event, e.g. the queue).
 */
export function assignSpec(
  ledger: Ledger,
  change: Change,
  to: { spec: Spec; agent: Agent; runId: string; request: DispatchRequest },
  card: { status: SpecStatus; branch: string | null },
  extra: Record<string, unknown> = {},
): void {
  const { spec, agent, runId, request } = to
  ledger.db
    .update(specs)
    .set({ stage: 'software', agent: agent.name, runId, ...card, updatedAt: change.now })
    .where(eq(specs.id, spec.id))
    .run()
  change.append({
    type: 'spec.dispatched',
    subject: spec.id,
    payload: {
      run: runId,
      agent: agent.name,
      from: { stage: spec.stage, agent: spec.agent },
      // Queued on this lane by a person: a pin, kept if the run has to come back (holding.ts).
      ...(isPinnedTo(spec, agent.name) ? { pinned: true } : {}),
      ...(request.followUpOf ? { followUpOf: request.followUpOf } : {}),
      ...(request.reason ? { reason: request.reason } : {}),
      ...extra,
    },
  })
}

export function dispatchRun(
  ledger: Ledger,
  host: RunHost,
  actor: string,
  request: DispatchRequest,
): Run {
  // A run that just hit a limit holds its lane (its supervisor does it a moment after recording
  // the outcome): catch that up first, so no dispatch slips in between.
  followSoftwareReactors(ledger)
  // A remote agent's runs go to its queue directory (docs/queue.md); nothing is spawned here.
  if (findAgent(ledger, request.agent)?.queue) return enqueueRun(ledger, host, actor, request)
  const dirs = host.searchDirs()
  const first = checkDispatch(ledger, request, dirs)
  const prepare = (runId: string) =>
    prepareWorkspace({
      workspace: first.agent.workspace ?? undefined,
      filesDir: host.filesDir,
      specId: first.spec.id,
      specTitle: first.spec.title,
      runId,
      branch: first.spec.branch ?? undefined,
    })
  // The slow part, a worktree checkout of a large repository, happens before the write lock that
  // other processes may be waiting for (its folder is named after the spec, not the run).
  const worktree =
    first.agent.workspace && isRepository(first.agent.workspace)
      ? prepare(nextRunId(ledger))
      : undefined
  let runId: string
  try {
    runId = commitRun()
  } catch (error) {
    // Refused after all (another process took the slot): no worktree or branch is left behind.
    if (worktree) abandonWorktree(worktree, !first.spec.branch)
    throw error
  }
  startSupervisor(ledger, host, runId, dirs)
  return requireRun(ledger, runId)

  function commitRun(): string {
    return ledger.change(actor, (change) => {
      // Checked again inside the transaction: another process may have dispatched meanwhile.
      const { spec, agent, bin } = checkDispatch(ledger, request, dirs)
      const id = nextRunId(ledger)
      const runDir = freshRunDir(host.filesDir, id)
      const workspace = worktree ?? prepare(id)
      const outputDir = join(runDir, RUN_FILES.output)
      mkdirSync(outputDir, { recursive: true })
      const specFile = join(runDir, RUN_FILES.spec)
      writeFileSync(specFile, specFileText(spec, request.comments))
      const preset = presetFor(agent.runner)
      const invocation = preset.invocation({
        bin,
        specFile,
        prompt: promptFor(specFile, outputDir, Boolean(request.followUpOf)),
        runId: id,
        outputDir,
        ...(agent.command ? { command: [bin, ...agent.command.slice(1)] } : {}),
      })
      if (invocation.stdin !== undefined) writeFileSync(join(runDir, 'stdin.txt'), invocation.stdin)
      const argv = [invocation.file, ...invocation.args]
      ledger.db
        .insert(runs)
        .values({
          id,
          specId: spec.id,
          agent: agent.name,
          runner: agent.runner,
          state: 'starting',
          argv: JSON.stringify(argv),
          cwd: workspace.cwd,
          workspaceKind: workspace.kind,
          repo: workspace.repo ?? null,
          worktree: workspace.worktree ?? null,
          branch: workspace.branch ?? null,
          baseRef: workspace.baseRef ?? null,
          baseCommit: workspace.baseCommit ?? null,
          runDir,
          followUpOf: request.followUpOf ?? null,
          placement: request.reason ?? null,
          setup: workspace.created && agent.setup ? JSON.stringify(agent.setup) : null,
          timeoutMs: agent.timeoutMs,
          dispatcherPid: process.pid,
          dispatcherIdentity: processIdentity(process.pid),
          createdAt: change.now,
          updatedAt: change.now,
        })
        .run()
      assignSpec(
        ledger,
        change,
        { spec, agent, runId: id, request },
        {
          status: 'running',
          branch: workspace.branch ?? spec.branch,
        },
      )
      return id
    })
  }
}

function startSupervisor(ledger: Ledger, host: RunHost, runId: string, dirs: string[]): void {
  const row = requireRunRow(ledger, runId)
  try {
    const env = { ...host.env, PATH: childPath(dirs) }
    const pid =
      host.standby?.assign({ runId, env: { PATH: env.PATH } }) ??
      launchSupervisor(host.supervisor(), {
        dbPath: host.dbPath,
        runId,
        runDir: row.runDir,
        artifactsDir: join(host.filesDir, 'artifacts'),
        env,
      })
    // Cancel and recovery need to know the supervisor before it has recorded anything itself.
    const supervisorIdentity = processIdentity(pid)
    ledger.change('dispatcher', () => {
      ledger.db
        .update(runs)
        .set({ supervisorPid: pid, supervisorIdentity })
        .where(eq(runs.id, runId))
        .run()
    })
  } catch (error) {
    recordOutcome(
      ledger,
      'dispatcher',
      runId,
      { state: 'failed', failure: { class: 'crashed', message: (error as Error).message } },
      NO_EXIT,
    )
  }
}
