// One run, over the board: what it is doing (stages, transcript, raw log), what it changed (diff),
// and what to do about it (cancel, retry, request changes, merge, discard). Esc closes it.
import { useRef, useState } from 'react'
import { isRunActive, type Run, type RunId } from '../../../../shared/runs'
import { useClock } from '../../stores/clock'
import { RUN_TABS, useUi } from '../../stores/ui'
import { useRun } from '../../runs/useRun'
import { InlineError } from '../InlineError'
import { DiffView } from './DiffView'
import { RawLogView } from './RawLogView'
import { DiscardDialog, RequestChangesDialog } from './ReviewDialogs'
import { RunActions } from './RunActions'
import { RunStateBadge } from './RunStateBadge'
import { StageTimeline } from './StageTimeline'
import { TranscriptView } from './TranscriptView'
import './run.css'
import { Loading } from '../Loading'
import { FAILURE_WORDS, placementWords, runName } from '../../board/wording'
import { formatTime } from '../../time'
import { RunFacts } from './RunFacts'
import { CloseButton } from '../CloseButton'
import { CopyLink } from '../CopyLink'
import { useModalFocus } from '../useModalFocus'

const isLive = (run: Run): boolean => isRunActive(run.state)
/** Run ids count up: r_7 was started after r_3. */
const runNumber = (id: RunId): number => Number(id.slice(2))

export function RunView({ id }: { id: RunId }) {
  const { run, error } = useRun(id)
  const [problem, setProblem] = useState<string | null>(null)
  const tab = useUi((s) => s.runTab)
  const setTab = useUi((s) => s.setRunTab)
  const [dialog, setDialog] = useState<'changes' | 'discard' | null>(null)
  const panel = useRef<HTMLElement | null>(null)
  const close = () => useUi.getState().closeRun()
  const now = useClock((s) => s.now)

  // Focus comes back to where it came from, or the drawer, when the view closes.
  useModalFocus(panel, '[data-testid=spec-drawer]')

  return (
    <section
      ref={panel}
      className="overlay-panel run-view"
      role="dialog"
      aria-modal="true"
      aria-label={run ? `${runName(run, now)}, for “${run.specTitle}”` : 'Run'}
      data-testid="run-view"
      tabIndex={-1}
    >
      <header className="run-header">
        <div className="run-title-row">
          {run && <h2 className="run-title">{run.specTitle}</h2>}
          {run && (
            <RunStateBadge state={run.state} stage={run.stage} failureClass={run.failure?.class} />
          )}
          <span className="run-spacer" />
          <CopyLink what="run" id={id} />
          {run && <RunActions run={run} onDialog={setDialog} onProblem={setProblem} />}
          <CloseButton onClick={close} />
        </div>
        {run && <RunFacts run={run} />}
        {run?.placement && (
          <p className="run-placement" data-testid="run-placement">
            {placementWords(run.placement)}
          </p>
        )}
        {run?.failure && (
          <p
            className={`run-failure${run.failure.class === 'cancelled' ? ' run-failure-cancelled' : ''}`}
            data-testid="run-failure"
          >
            <strong>{FAILURE_WORDS[run.failure.class] ?? run.failure.class}</strong>:{' '}
            {run.failure.message}
            {run.failure.resetAt && ` — frees up ${formatTime(run.failure.resetAt, now)}`}
          </p>
        )}
        {problem && (
          <div className="run-problem" role="alert" data-testid="run-problem">
            <span>{problem}</span>
            <button
              type="button"
              className="button button-ghost button-icon button-small"
              aria-label="Dismiss"
              onClick={() => setProblem(null)}
            >
              ×
            </button>
          </div>
        )}
        {run?.comments && (
          <blockquote className="run-comments" data-testid="run-comments">
            <strong>Requested changes</strong>
            <span>{run.comments}</span>
          </blockquote>
        )}
        {run?.review && (
          <p className="run-review" data-testid="run-review">
            {run.review.action === 'merged'
              ? `Merged ${run.branch} into ${run.baseRef}${run.review.commit ? ` (${run.review.commit.slice(0, 8)})` : ''}`
              : `Discarded ${run.branch ?? 'its folder'}: the worktree and branch are gone`}
            {run.review.runId !== run.id &&
              ` — through ${runNumber(run.review.runId) > runNumber(run.id) ? 'a later' : 'an earlier'} run of this branch`}
          </p>
        )}
        {run?.artifact && (
          <p className="run-artifact" data-testid="run-artifact">
            Shipped{' '}
            <strong>
              {run.artifact.name} {run.artifact.version}
            </strong>
            {run.artifact.url && (
              <>
                {' '}
                ·{' '}
                <a href={run.artifact.url} target="_blank" rel="noreferrer">
                  {run.artifact.url}
                </a>
              </>
            )}
          </p>
        )}
        {run && <StageTimeline run={run} />}
        <div className="run-tabs" role="tablist" aria-label="Run views">
          {RUN_TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              aria-selected={tab === t.id}
              className={`run-tab${tab === t.id ? ' run-tab-active' : ''}`}
              data-testid={`tab-${t.id}`}
              onClick={() => setTab(t.id)}
            >
              {t.label} <kbd className="kbd">{t.key}</kbd>
            </button>
          ))}
        </div>
      </header>
      <div className="run-body" role="tabpanel">
        {!run && <InlineError message={error} />}
        {!run && !error && <Loading className="run-empty">Loading run…</Loading>}
        {run && tab === 'transcript' && (
          <TranscriptView runId={run.id} live={isLive(run)} queued={run.state === 'queued'} />
        )}
        {run && tab === 'log' && <RawLogView runId={run.id} />}
        {run &&
          tab === 'diff' &&
          (run.workspaceKind === 'worktree' && run.review?.action !== 'discarded' ? (
            <DiffView run={run} />
          ) : (
            <p className="run-empty muted">
              {run.review?.action === 'discarded'
                ? 'Its branch was discarded: there is nothing left to compare.'
                : `This run worked in a plain folder (${run.cwd}), not a git worktree: there is no diff to show.`}
            </p>
          ))}
      </div>
      {run && dialog === 'changes' && (
        <RequestChangesDialog run={run} onClose={() => setDialog(null)} />
      )}
      {run && dialog === 'discard' && <DiscardDialog run={run} onClose={() => setDialog(null)} />}
    </section>
  )
}
