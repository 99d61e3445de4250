// A run's branch state (shared/branch.ts), read from git when the run ends and at each merge or
// discard, and kept on its row with an event: the board reads it with the card, never git.
import { and, eq, or } from 'drizzle-orm'
import type { BranchStateName } from '../../../../shared/branch'
import { FactoryError } from '../../../../shared/errors'
import type { Change, Ledger } from '../../db/ledger'
import { runs } from '../../db/schema'
import type { RunRow } from './runs'
import { commitsSince, pendingWork } from './workspace'

export interface BranchFacts {
  state: BranchStateName
  commits: number
  uncommitted: number
}

/** What git says of the run's branch now; null when it has none (a folder) or git cannot tell. */
export function readBranchFacts(row: RunRow): BranchFacts | null {
  if (row.workspaceKind !== 'worktree' || !row.repo || !row.branch || !row.baseRef) return null
  try {
    const since = row.baseCommit
      ? commitsSince({ repo: row.repo, branch: row.branch, baseCommit: row.baseCommit })
      : undefined
    if (since === null) return { state: 'discarded', commits: 0, uncommitted: 0 }
    const pending = pendingWork({
      repo: row.repo,
      branch: row.branch,
      baseRef: row.baseRef,
      ...(row.worktree ? { worktree: row.worktree } : {}),
    })
    const commits = pending.unmergedCommits.length
    // Commits since it started, all of them in the base: merged (by us, or by hand outside).
    const state = commits > 0 ? 'unmerged' : (since ?? 0) > 0 ? 'merged' : 'empty'
    return { state, commits, uncommitted: pending.uncommitted.length }
  } catch (error) {
    // The repository moved or is gone: the state stays unknown rather than guessed.
    if (error instanceof FactoryError) return null
    throw error
  }
}

/** Keeps what git said on this run's row; a refusal is kept only while there is work to merge. */
export function keepBranchState(
  ledger: Ledger,
  change: Change,
  row: RunRow,
  facts: BranchFacts,
  refusal: string | null = null,
): void {
  const kept = facts.state === 'unmerged' ? refusal : null
  ledger.db
    .update(runs)
    .set({
      branchState: facts.state,
      branchCommits: facts.commits,
      branchUncommitted: facts.uncommitted,
      mergeRefusal: kept,
      updatedAt: change.now,
    })
    .where(eq(runs.id, row.id))
    .run()
  change.append({
    type: 'run.branch-checked',
    subject: row.id,
    payload: { spec: row.specId, branch: row.branch, ...facts, refusal: kept },
  })
}

/** A merge or discard is of the branch: every run on it says so, not only the one it went through. */
export function markBranch(
  ledger: Ledger,
  change: Change,
  row: RunRow,
  state: 'merged' | 'discarded',
): void {
  const onBranch =
    row.repo && row.branch
      ? or(eq(runs.id, row.id), and(eq(runs.repo, row.repo), eq(runs.branch, row.branch)))
      : eq(runs.id, row.id)
  ledger.db
    .update(runs)
    .set({
      branchState: state,
      branchCommits: 0,
      branchUncommitted: 0,
      mergeRefusal: null,
      updatedAt: change.now,
    })
    .where(onBranch)
    .run()
}

const CUT = 80
const cut = (text: string): string => (text.length > CUT ? `${text.slice(0, CUT - 1)}…` : text)

/**
 * A merge refusal in a few words for the card ("conflicts in src/x.ts"); the whole sentence stays
 * in the event and in the run view. Unknown wording: its first clause, cut short.
 */
export function refusalWords(message: string): string {
  const found = (pattern: RegExp) => pattern.exec(message)?.[1]
  const conflicts = found(/conflicts in: (.+?)\. Nothing was changed/)
  if (conflicts) return cut(`conflicts in ${conflicts}`)
  const notOut = found(/, not (\S+); check out/)
  if (notOut) return `${notOut} is not checked out`
  if (/worktree has uncommitted changes/.test(message)) return 'uncommitted changes in its worktree'
  const touched = found(/files the merge would change: (.+?)\. Commit or stash/)
  if (touched) return cut(`your uncommitted changes in ${touched}`)
  if (/in the middle of a merge/.test(message)) return 'your checkout is in the middle of a merge'
  if (/no longer exists/.test(message)) return 'its branch is gone'
  if (/still running/.test(message)) return 'another run is at work on its branch'
  return cut(message.split(/[.;:] /)[0] ?? message)
}
