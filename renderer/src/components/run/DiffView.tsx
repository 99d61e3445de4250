// What the run changed against its base: the files, then the patch, coloured and virtualized so
// a 2 MB diff scrolls like a small one.
import { useEffect, useMemo, useState } from 'react'
import { toFactoryError } from '../../../../shared/errors'
import type { Run, RunDiff } from '../../../../shared/runs'
import { client } from '../../client'
import { InlineError } from '../InlineError'
import { VirtualRows } from './VirtualRows'
import { Loading } from '../Loading'

const LINE_HEIGHT = 20

function lineTone(line: string): string {
  if (line.startsWith('diff --git')) return 'filehead'
  if (line.startsWith('+++') || line.startsWith('---')) return 'meta'
  if (line.startsWith('@@')) return 'hunk'
  if (line.startsWith('+')) return 'add'
  if (line.startsWith('-')) return 'del'
  return 'ctx'
}

export function DiffView({ run }: { run: Run }) {
  const [diff, setDiff] = useState<RunDiff | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [target, setTarget] = useState<number | null>(null)

  useEffect(() => {
    let alive = true
    setDiff(null)
    setError(null)
    client()
      .call('run/diff', { id: run.id })
      .then(
        (result) => alive && setDiff(result),
        (failure: unknown) => alive && setError(toFactoryError(failure).message),
      )
    return () => {
      alive = false
    }
    // A run that ended or was followed up may have new commits: re-read on state changes.
  }, [run.id, run.state])

  const lines = useMemo(() => (diff ? diff.patch.split('\n') : []), [diff])
  // Long lines scroll sideways instead of being cut: the rows are as wide as the longest one.
  const widest = useMemo(() => lines.reduce((max, line) => Math.max(max, line.length), 0), [lines])
  const fileStarts = useMemo(() => {
    const starts = new Map<string, number>()
    lines.forEach((line, i) => {
      const match = /^diff --git a\/(.+?) b\/(.+)$/.exec(line)
      if (match?.[2]) starts.set(match[2], i)
    })
    return starts
  }, [lines])

  if (error) return <InlineError message={error} />
  if (!diff) {
    return <Loading className="run-empty">Reading the changes…</Loading>
  }
  if (diff.files.length === 0) {
    return (
      <p className="run-empty muted" data-testid="diff-empty">
        No changes against {diff.baseRef ?? 'the base'} yet.
      </p>
    )
  }
  const additions = diff.files.reduce((n, f) => n + f.additions, 0)
  const deletions = diff.files.reduce((n, f) => n + f.deletions, 0)
  return (
    <div className="diff" data-testid="diff-view">
      <nav className="diff-files" aria-label="Changed files">
        <p className="diff-summary">
          {diff.files.length} {diff.files.length === 1 ? 'file' : 'files'} ·{' '}
          <span className="diff-add">+{additions}</span>{' '}
          <span className="diff-del">−{deletions}</span>
          <br />
          <span className="muted">
            {diff.branch} → {diff.baseRef}
          </span>
        </p>
        <ul>
          {diff.files.map((file) => (
            <li key={file.path}>
              <button
                type="button"
                className="diff-file"
                title={file.path}
                data-testid="diff-file"
                onClick={() => setTarget(fileStarts.get(file.path) ?? null)}
              >
                <span className={`diff-status diff-status-${file.status}`}>
                  {file.status[0]!.toUpperCase()}
                </span>
                <span className="diff-path">{file.path}</span>
                <span className="diff-add">+{file.additions}</span>
                <span className="diff-del">−{file.deletions}</span>
              </button>
            </li>
          ))}
        </ul>
        {diff.truncated && <p className="muted">The patch is longer than 2 MB; the rest is cut.</p>}
      </nav>
      <VirtualRows
        className="diff-patch"
        label="Patch"
        testId="diff-patch"
        count={lines.length}
        rowHeight={LINE_HEIGHT}
        scrollToIndex={target}
        contentWidth={`calc(${widest}ch + 2 * var(--space-4))`}
        renderRow={(index, top) => {
          const line = lines[index] ?? ''
          return (
            <div
              key={index}
              role="listitem"
              className={`diff-line diff-${lineTone(line)}`}
              style={{ top, height: LINE_HEIGHT }}
            >
              {line || ' '}
            </div>
          )
        }}
      />
    </div>
  )
}
