// What can be done with a run: cancel it while it is live; afterwards retry it, request changes,
// and for a worktree merge or discard its branch. A request in flight disables the buttons (no
// double merges); a refusal is handed to the run view, which keeps it on screen.
import { useState } from 'react'
import { toFactoryError } from '../../../../shared/errors'
import { isRunActive, type Run } from '../../../../shared/runs'
import { client } from '../../client'
import { useUi } from '../../stores/ui'

/** Runs an operation and, when it succeeds, `then`; a failure rejects for RunActions to show. */
function act<T>(work: Promise<T>, then: (result: T) => void): Promise<void> {
  return work.then(then)
}

const note = (message: string) => () => useUi.getState().showToast({ tone: 'info', message })

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
  if (run.workspaceKind !== 'worktree' || run.review) return actions
  return [
    ...actions,
    {
      label: 'Merge',
      testId: 'merge',
      // The obvious next step only for work that finished well.
      tone: run.state === 'shipped' || run.state === 'done' ? 'primary' : 'secondary',
      run: () =>
        act(
          client().call('run/merge', { id: run.id }),
          note(`Merged ${run.branch} into ${run.baseRef}`),
        ),
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
  return (
    <div className="run-actions" aria-busy={busy !== null}>
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
