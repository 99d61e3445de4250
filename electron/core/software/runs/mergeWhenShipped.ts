// When a run ends, its branch's state is read from git and kept on the run (what the card shows);
// on a lane trusted to "merge when shipped", a shipped run's branch is merged into its base right
// away. A reactor: the reaction commits with its cursor, so a ship recorded just before the app or
// the supervisor died is merged on the next start, and never twice. The merge runs under the
// ledger's write lock, so two processes catching up never merge at once; a merge whose commit was
// lost to a crash is found merged in git the next time and kept as such, not merged again.
import type { LedgerEvent } from '../../../../shared/domain'
import { FactoryError } from '../../../../shared/errors'
import { findAgent } from '../../agents'
import type { Change, Ledger } from '../../db/ledger'
import type { Reactor } from '../../reactors'
import { keepBranchState, readBranchFacts } from './branchState'
import { mergeBranch, recordMerged, recordRefusal } from './review'
import { findRunRow, type RunRow } from './runs'

/**
 * A refusal is kept on the run and the reactor moves on (a git failure would fail again and again);
 * only the ledger being unavailable (busy, the disk) stops it, to be retried.
 */
const isRefusal = (error: unknown): error is FactoryError =>
  error instanceof FactoryError && error.code !== 'LedgerUnavailable'

export const runBranches: Reactor = {
  name: 'run-branches',
  types: ['run.shipped', 'run.done', 'run.failed', 'run.lost'],
  react(event: LedgerEvent, change: Change, ledger: Ledger) {
    const row = findRunRow(ledger, event.subject)
    if (!row || row.workspaceKind !== 'worktree') return
    const facts = readBranchFacts(row)
    if (!facts) return
    const trusted = event.type === 'run.shipped' && findAgent(ledger, row.agent)?.mergeWhenShipped
    if (trusted && facts.state === 'unmerged') mergeNow(ledger, change, row)
    else keepBranchState(ledger, change, row, facts)
  },
}

function mergeNow(ledger: Ledger, change: Change, row: RunRow): void {
  let commit: string
  try {
    commit = mergeBranch(ledger, row).commit
  } catch (error) {
    if (!isRefusal(error)) throw error
    recordRefusal(ledger, change, row, error.message, true)
    return
  }
  recordMerged(ledger, change, row, commit, true)
}
