// Reviewing a run's work: its diff against the base, merging its branch, or discarding it, which
// never happens without the user confirming the exact uncommitted files and commits it would lose.
// Each merge, refusal and discard also keeps the branch's state on the runs (branchState.ts).
import { join } from 'node:path'
import { FactoryError } from '../../../../shared/errors'
import type { PendingWork, RunDiff, RunId } from '../../../../shared/runs'
import type { Change, Ledger } from '../../db/ledger'
import { keepBranchState, markBranch, readBranchFacts, refusalWords } from './branchState'
import type { RunHost } from './dispatch'
import { activeRunRows, requireRunRow, type RunRow } from './runs'
import {
  diffWorkspace,
  discardFolder,
  discardWorkspace,
  mergeWorkspace,
  pendingWork,
} from './workspace'

/** The workspace helpers refuse with InvalidInput; the API names what was refused. */
function asRefusal<T>(
  code: 'MergeRefused' | 'DiscardRefused' | 'WorkspaceError',
  work: () => T,
): T {
  try {
    return work()
  } catch (error) {
    if (error instanceof FactoryError && error.code === 'InvalidInput') {
      throw new FactoryError(code, error.message)
    }
    throw error
  }
}

function branchOf(row: RunRow): {
  repo: string
  worktree?: string
  branch: string
  baseRef: string
} {
  if (row.workspaceKind !== 'worktree' || !row.repo || !row.branch || !row.baseRef) {
    throw new FactoryError(
      'WorkspaceError',
      `${row.id} worked in a plain folder (${row.cwd}), not a git worktree: there is no branch to review or merge`,
    )
  }
  return {
    repo: row.repo,
    branch: row.branch,
    baseRef: row.baseRef,
    ...(row.worktree ? { worktree: row.worktree } : {}),
  }
}

/** Retries and follow-ups share the spec's branch and worktree: none of them may be running. */
function requireEnded(ledger: Ledger, row: RunRow, what: string): void {
  const live = activeRunRows(ledger).find(
    (other) => other.specId === row.specId || (row.branch && other.branch === row.branch),
  )
  if (live) {
    const who = live.id === row.id ? `${row.id} is` : `${live.id} (same branch) is`
    throw new FactoryError(
      'SpecBusy',
      `${who} still running; wait for it or cancel it before you ${what}`,
    )
  }
}

export function diffRun(ledger: Ledger, id: string): RunDiff {
  const row = requireRunRow(ledger, id)
  const branch = branchOf(row)
  const diff = asRefusal('WorkspaceError', () =>
    diffWorkspace({
      repo: branch.repo,
      worktree: row.worktree ?? row.cwd,
      baseCommit: row.baseCommit ?? '',
    }),
  )
  return { runId: row.id as RunId, branch: row.branch, baseRef: row.baseRef, ...diff }
}

export function pendingRunWork(ledger: Ledger, id: string): PendingWork {
  const row = requireRunRow(ledger, id)
  if (row.workspaceKind !== 'worktree') return { uncommitted: [], unmergedCommits: [] }
  return asRefusal('WorkspaceError', () => pendingWork(branchOf(row)))
}

/** Merges the run's branch into its base with git, refusing as the run contract says. */
export function mergeBranch(ledger: Ledger, row: RunRow): { merged: true; commit: string } {
  requireEnded(ledger, row, 'merge')
  return asRefusal('MergeRefused', () => mergeWorkspace({ ...branchOf(row), specId: row.specId }))
}

/** The merge in the ledger: its event, and every run on the branch says "Merged into main". */
export function recordMerged(
  ledger: Ledger,
  change: Change,
  row: RunRow,
  commit: string,
  auto = false,
): void {
  markBranch(ledger, change, row, 'merged')
  change.append({
    type: 'run.merged',
    subject: row.id,
    payload: {
      spec: row.specId,
      branch: row.branch,
      into: row.baseRef,
      commit,
      ...(auto ? { auto: true } : {}),
    },
  })
}

/** A refused merge leaves the run unmerged, its reason on the card, and Merge still offered. */
export function recordRefusal(
  ledger: Ledger,
  change: Change,
  row: RunRow,
  reason: string,
  auto = false,
): void {
  const facts = readBranchFacts(row)
  if (facts) keepBranchState(ledger, change, row, facts, refusalWords(reason))
  change.append({
    type: 'run.merge-refused',
    subject: row.id,
    payload: { spec: row.specId, branch: row.branch, reason, ...(auto ? { auto: true } : {}) },
  })
}

export function mergeRun(
  ledger: Ledger,
  actor: string,
  id: string,
): { merged: true; commit: string } {
  const row = requireRunRow(ledger, id)
  let result: { merged: true; commit: string }
  try {
    result = mergeBranch(ledger, row)
  } catch (error) {
    // Kept for the card; a run still at work (SpecBusy) is no refusal of the branch itself.
    if (error instanceof FactoryError && error.code === 'MergeRefused') {
      ledger.change(actor, (change) => recordRefusal(ledger, change, row, error.message))
    }
    throw error
  }
  ledger.change(actor, (change) => recordMerged(ledger, change, row, result.commit))
  return result
}

export function discardRun(
  ledger: Ledger,
  host: RunHost,
  actor: string,
  id: string,
  confirmLoss: boolean,
): { removed: true; lost: PendingWork } {
  const row = requireRunRow(ledger, id)
  requireEnded(ledger, row, 'discard its work')
  const result =
    row.workspaceKind === 'worktree'
      ? asRefusal('DiscardRefused', () => discardWorkspace({ ...branchOf(row), confirmLoss }))
      : (discardFolder(join(row.runDir, 'work'), row.runDir),
        { removed: true as const, lost: { uncommitted: [], unmergedCommits: [] } })
  ledger.change(actor, (change) => {
    markBranch(ledger, change, row, 'discarded')
    change.append({
      type: 'run.discarded',
      subject: row.id,
      payload: { spec: row.specId, branch: row.branch, lost: result.lost },
    })
  })
  return result
}
