// Where a run's branch stands against the branch it will be merged into: checked by the engine
// when the run ends and again at each merge or discard, and kept on the run, so the board shows it
// without asking git once per card.
import { isRunActive, type RunState } from './runs'

export const BRANCH_STATES = ['unmerged', 'empty', 'merged', 'discarded'] as const
/**
 * unmerged: commits its base does not have · empty: no commits beyond the base (nothing to merge)
 * · merged: all of its commits are in the base · discarded: its worktree and branch are gone.
 */
export type BranchStateName = (typeof BRANCH_STATES)[number]

export interface BranchState {
  state: BranchStateName
  /** The branch it merges into ("main"). */
  into: string
  /** Commits on the branch that `into` does not have. */
  commits: number
  /** Files changed in its worktree but not committed (a merge takes only commits). */
  uncommitted: number
  /** Why the last merge was refused, in a few words ("conflicts in src/x.ts"); null: none was. */
  refusal: string | null
}

const plural = (n: number, one: string, many = `${one}s`): string =>
  `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

/** "Merged into main", "Not merged · 3 commits", "Nothing to merge", "Discarded". */
export function branchWords(branch: BranchState): string {
  const uncommitted =
    branch.uncommitted > 0 ? ` · ${plural(branch.uncommitted, 'uncommitted file')}` : ''
  switch (branch.state) {
    case 'merged':
      return `Merged into ${branch.into}`
    case 'discarded':
      return 'Discarded'
    case 'empty':
      return `Nothing to merge${uncommitted}`
    case 'unmerged':
      return `Not merged · ${branch.refusal ?? plural(branch.commits, 'commit')}${branch.refusal ? '' : uncommitted}`
  }
}

/**
 * Whether Merge (and Discard) are offered: an ended run in a worktree whose branch has commits
 * its base lacks. A run whose branch was never checked (it ended before the factory kept branch
 * states) is offered them unless the log says it was reviewed.
 */
export function canMerge(run: {
  state: RunState
  workspaceKind: string
  branchState: BranchState | null
  review?: unknown
}): boolean {
  if (run.workspaceKind !== 'worktree' || isRunActive(run.state)) return false
  if (run.branchState) return run.branchState.state === 'unmerged'
  return !run.review
}
