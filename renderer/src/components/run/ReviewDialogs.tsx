// The review dialogs: the reviewer's comments for a follow-up run, and the confirmation Discard
// needs, which lists exactly the uncommitted files and unmerged commits that would be lost.
import { useEffect, useState } from 'react'
import { toFactoryError } from '../../../../shared/errors'
import type { PendingWork, Run } from '../../../../shared/runs'
import { client } from '../../client'
import { useUi } from '../../stores/ui'
import { DiscardChangesDialog } from '../DiscardChangesDialog'
import { InlineError } from '../InlineError'
import { Modal } from '../Modal'
import { Loading } from '../Loading'
import { useUnsavedEdits } from '../useUnsavedEdits'

export function RequestChangesDialog({ run, onClose }: { run: Run; onClose: () => void }) {
  const [comments, setComments] = useState('')
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [confirming, setConfirming] = useState(false)
  const dirty = comments.trim() !== '' && !saving
  useUnsavedEdits(dirty)
  // Esc, Cancel or a click outside with comments typed asks first: they are not thrown away.
  const requestClose = () => (dirty ? setConfirming(true) : onClose())
  const submit = (event: React.FormEvent) => {
    event.preventDefault()
    setSaving(true)
    client()
      .call('run/request-changes', { id: run.id, comments })
      .then(
        (followUp) => {
          onClose()
          useUi.getState().openRun(followUp.id)
          useUi.getState().showToast({
            tone: 'info',
            message: `A follow-up run started on ${followUp.agent} with your comments`,
          })
        },
        (failure: unknown) => setError(toFactoryError(failure).message),
      )
      .finally(() => setSaving(false))
  }
  return (
    <Modal
      title={`Request changes to “${run.specTitle}”`}
      onClose={requestClose}
      testId="request-changes-dialog"
    >
      <form className="form" onSubmit={submit}>
        <p className="muted">
          {run.agent} gets the spec again with your comments, in the same{' '}
          {run.branch ? <code className="code">{run.branch}</code> : 'folder'}.
        </p>
        <textarea
          className="textarea"
          aria-label="Comments"
          rows={8}
          data-autofocus
          value={comments}
          placeholder="What should change? (markdown)"
          onChange={(e) => setComments(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) submit(e)
          }}
        />
        <InlineError message={error} />
        <div className="form-actions">
          <span className="form-hint">Ctrl+Enter sends</span>
          <button type="button" className="button button-secondary" onClick={requestClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={saving || !comments.trim()}
          >
            {saving ? 'Starting…' : 'Send to agent'}
          </button>
        </div>
      </form>
      {confirming && (
        <DiscardChangesDialog onKeep={() => setConfirming(false)} onDiscard={onClose} />
      )}
    </Modal>
  )
}

export function DiscardDialog({ run, onClose }: { run: Run; onClose: () => void }) {
  const [pending, setPending] = useState<PendingWork | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [working, setWorking] = useState(false)
  useEffect(() => {
    client()
      .call('run/pending', { id: run.id })
      .then(setPending, (failure: unknown) => setError(toFactoryError(failure).message))
  }, [run.id])
  const discard = () => {
    setWorking(true)
    client()
      .call('run/discard', { id: run.id, confirmLoss: true })
      .then(
        () => {
          onClose()
          useUi
            .getState()
            .showToast({ tone: 'info', message: `Discarded ${run.branch ?? 'its folder'}` })
        },
        (failure: unknown) => setError(toFactoryError(failure).message),
      )
      .finally(() => setWorking(false))
  }
  const loses = pending && (pending.uncommitted.length > 0 || pending.unmergedCommits.length > 0)
  return (
    <Modal
      title={`Discard ${run.branch ?? 'the run’s folder'}?`}
      onClose={onClose}
      testId="discard-dialog"
    >
      {!pending && !error && <Loading>Checking what would be lost…</Loading>}
      {pending && !loses && (
        <p>Nothing unmerged or uncommitted: the worktree and branch go, no work is lost.</p>
      )}
      {pending && loses && (
        <div className="discard-loss" data-testid="discard-loss">
          <p>
            <strong>This work would be lost for good:</strong>
          </p>
          {pending.uncommitted.length > 0 && (
            <>
              <p className="muted">Uncommitted files</p>
              <ul className="discard-list">
                {pending.uncommitted.map((path) => (
                  <li key={path}>
                    <code className="code">{path}</code>
                  </li>
                ))}
              </ul>
            </>
          )}
          {pending.unmergedCommits.length > 0 && (
            <>
              <p className="muted">Commits not in {run.baseRef}</p>
              <ul className="discard-list">
                {pending.unmergedCommits.map((commit) => (
                  <li key={commit.sha}>
                    <code className="code">{commit.sha.slice(0, 8)}</code> {commit.subject}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      <InlineError message={error} />
      <div className="form-actions">
        <button type="button" className="button button-secondary" data-autofocus onClick={onClose}>
          Keep it
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={!pending || working}
          onClick={discard}
        >
          {working ? 'Discarding…' : loses ? 'Discard and lose this work' : 'Discard'}
        </button>
      </div>
    </Modal>
  )
}
