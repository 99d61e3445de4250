// What can be done with a run: cancel it while it is live; afterwards retry it, request changes,
// and, where its branch has commits to merge, merge or discard it. A request in flight disables
// the buttons (no double merges); a refusal is handed to the run view, which keeps it on screen.
// RunMerge is the same Merge for the drawer's Runs list.
import { useState } from 'react'
import { branchWords, canMerge } from '../../../../shared/branch'
import { toFactoryError } from '../../../../shared/errors'
import { isRunActive, type Run } from '../../../../shared/runs'
import { client } from '../../client'
import { useUi } from '../../stores/ui'
import { InlineError } from '../InlineError'

/** Runs an operation and, when it succeeds, `then`; a failure rejects for RunActions to show. */
function act<T>(work: Promise<T>, then: (result: T) => void): Promise<void> {
  return work.then(then)
}

const note = (message: string) => () => useUi.getState().showToast({ tone: 'info', message })

const merge = (run: Run): Promise<void> =>
  act(client().call('run/merge', { id: run.id }), note(`Merged ${run.branch} into ${run.baseRef}`))

interface Action {
  label: string
  testId: string
  tone: 'primary' | 'secondary' | 'danger'
  run: () => Promise<void> | void
}

function runActions(run: Run, onDialog: (d: 'changes' | 'discard') => void): Action[] {
  if (isRunActive(run.state)) {
    return [
      {
        label: 'Cancel run',
        testId: 'run-cancel',
        tone: 'secondary',
        run: () =>
          act(client().call('run/cancel', { id: run.id }), note(`Stopping ${run.agent}’s run…`)),
      },
    ]
  }
  const actions: Action[] = [
    {
      label: 'Retry',
      testId: 'run-retry',
      tone: 'secondary',
      run: () =>
        act(client().call('run/retry', { id: run.id }), (next) =>
          useUi.getState().openRun(next.id),
        ),
    },
    {
      label: 'Request changes',
      testId: 'request-changes',
      tone: 'secondary',
      run: () => onDialog('changes'),
    },
  ]
  if (!canMerge(run)) return actions
  return [
    ...actions,
    {
      label: 'Merge',
      testId: 'merge',
      // The obvious next step only for work that finished well.
      tone: run.state === 'shipped' || run.state === 'done' ? 'primary' : 'secondary',
      run: () => merge(run),
    },
    { label: 'Discard…', testId: 'discard', tone: 'danger', run: () => onDialog('discard') },
  ]
}

const TONE_CLASS: Record<Action['tone'], string> = {
  primary: 'button-primary',
  secondary: 'button-secondary',
  danger: 'button-secondary button-danger-text',
}

export function RunActions({
  run,
  onDialog,
  onProblem,
}: {
  run: Run
  onDialog: (d: 'changes' | 'discard') => void
  /** A refusal to keep on screen (a merge conflict names its files); null clears it. */
  onProblem: (message: string | null) => void
}) {
  const [busy, setBusy] = useState<string | null>(null)
  const start = (action: Action) => {
    onProblem(null)
    const work = action.run()
    if (!work) return
    setBusy(action.testId)
    work
      .catch((failure: unknown) => onProblem(toFactoryError(failure).message))
      .finally(() => setBusy(null))
  }
  // Where the branch stands, in place of a Merge there is no reason to offer (a merge or discard
  // the view already reports under its facts is not said twice).
  const branch =
    run.branchState && !canMerge(run) && !run.review ? branchWords(run.branchState) : null
  return (
    <div className="run-actions" aria-busy={busy !== null}>
      {branch && (
        <span className="run-branch" data-testid="run-branch">
          {branch}
        </span>
      )}
      {runActions(run, onDialog).map((action) => (
        <button
          key={action.testId}
          type="button"
          className={`button button-small ${TONE_CLASS[action.tone]}`}
          data-testid={action.testId}
          disabled={busy !== null}
          onClick={() => start(action)}
        >
          {busy === action.testId && <span className="spinner" aria-hidden="true" />}
          {action.label}
        </button>
      ))}
    </div>
  )
}

/**
 * Merge from the drawer's Runs list (`runs`, newest first): where the run's branch stands, Merge
 * when it has commits to merge, and a refusal (a conflict names its files) beside it. Retries and
 * follow-ups share a branch: only the newest run on it says so and offers the merge.
 */
export function RunMerge({ run, runs }: { run: Run; runs: readonly Run[] }) {
  const [busy, setBusy] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const newer = runs.slice(0, runs.indexOf(run)).some((other) => other.branch === run.branch)
  const mergeable = canMerge(run)
  if (newer || (!mergeable && !run.branchState)) return null
  const start = () => {
    setBusy(true)
    setProblem(null)
    merge(run)
      .catch((failure: unknown) => setProblem(toFactoryError(failure).message))
      .finally(() => setBusy(false))
  }
  return (
    <div className="run-list-merge">
      {run.branchState && (
        <span className="run-list-meta" data-testid="run-item-branch">
          {branchWords(run.branchState)}
        </span>
      )}
      {mergeable && (
        <button
          type="button"
          className="button button-small button-secondary"
          data-testid="run-item-merge"
          aria-label={`Merge ${run.branch ?? run.id} into ${run.baseRef ?? 'its base'}`}
          disabled={busy}
          onClick={start}
        >
          {busy && <span className="spinner" aria-hidden="true" />}
          Merge
        </button>
      )}
      <InlineError message={problem} testId="run-item-merge-error" />
    </div>
  )
}
