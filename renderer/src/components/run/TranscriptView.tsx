// The structured transcript: assistant text, tool calls and results, stages, raw lines. One line
// per entry; Enter or a click expands one (the assistant's prose as rendered markdown, through the
// same safe renderer as a spec's body). Virtualized, and it follows a live run at the bottom.
import { useCallback, useLayoutEffect, useRef, useState } from 'react'
import type { RunId, TranscriptEntry } from '../../../../shared/runs'
import { useTranscript } from '../../runs/useTranscript'
import { InlineError } from '../InlineError'
import { Markdown } from '../Markdown'
import { firstLine, plainMarkdownLine, summary } from './transcriptRows'
import { VirtualRows } from './VirtualRows'

const ROW_HEIGHT = 26

function Row(props: {
  index: number
  top: number
  entry: TranscriptEntry | undefined
  expanded: boolean
  active: boolean
  onSelect: (index: number, expandable: boolean) => void
  onMeasure: (index: number, height: number) => void
}) {
  const { index, entry, expanded, onMeasure } = props
  const node = useRef<HTMLDivElement | null>(null)
  useLayoutEffect(() => {
    if (!expanded || !node.current) return
    const element = node.current
    const observer = new ResizeObserver(() => onMeasure(index, element.offsetHeight))
    observer.observe(element)
    return () => observer.disconnect()
  }, [expanded, index, onMeasure])
  if (!entry) {
    return (
      <div
        className="tx-row tx-loading"
        style={{ top: props.top, height: ROW_HEIGHT }}
        role="listitem"
      >
        …
      </div>
    )
  }
  const { label, text, tone, markdown } = summary(entry)
  const line = firstLine(text)
  // Anything that may not fit on one line can open: the row's width is the window's.
  const expandable = text.includes('\n') || text.length > 60
  return (
    <div
      ref={node}
      role="listitem"
      className={`tx-row tx-${tone ?? 'text'}${props.active ? ' tx-active' : ''}${expanded ? ' tx-expanded' : ''}`}
      style={{ top: props.top, minHeight: ROW_HEIGHT }}
      data-testid="transcript-entry"
      data-kind={entry.kind}
      aria-expanded={expandable ? expanded : undefined}
      title={expandable && !expanded ? 'Click or press Enter to show all' : undefined}
      onClick={() => props.onSelect(index, expandable)}
    >
      <span className="tx-caret" aria-hidden="true">
        {expandable ? (expanded ? '▾' : '▸') : ''}
      </span>
      <span className="tx-label">{label}</span>
      {expanded && markdown ? (
        <div className="tx-full tx-markdown">
          <Markdown>{text}</Markdown>
        </div>
      ) : expanded ? (
        <pre className="tx-full">{text}</pre>
      ) : markdown && !text.includes('\n') && plainMarkdownLine(line) !== line ? (
        // One line of prose with markup ("Built **the table**."): rendered in the row itself.
        <span className="tx-text tx-inline-markdown">
          <Markdown>{line}</Markdown>
        </span>
      ) : (
        <span className="tx-text">{markdown ? plainMarkdownLine(line) : line}</span>
      )}
    </div>
  )
}

export function TranscriptView({
  runId,
  live,
  queued = false,
}: {
  runId: RunId
  live: boolean
  /** Written to a remote agent's queue and not claimed yet: nothing runs here. */
  queued?: boolean
}) {
  const transcript = useTranscript(runId)
  const [expanded, setExpanded] = useState<ReadonlyMap<number, number>>(new Map())
  const [active, setActive] = useState<number | null>(null)

  const toggle = useCallback((index: number) => {
    setExpanded((current) => {
      const next = new Map(current)
      if (next.has(index)) next.delete(index)
      else next.set(index, ROW_HEIGHT * 4)
      return next
    })
  }, [])
  const measure = useCallback((index: number, height: number) => {
    setExpanded((current) => {
      if (!current.has(index) || current.get(index) === height) return current
      return new Map(current).set(index, Math.max(ROW_HEIGHT, height))
    })
  }, [])

  const { total, load } = transcript
  const visible = useRef({ from: 0, to: 0 })
  const onRange = useCallback(
    (from: number, to: number) => {
      // The list renders a dozen rows above the screen (none above the first).
      visible.current = { from: from === 0 ? 0 : Math.min(from + 12, to), to }
      load(from, to)
    },
    [load],
  )
  const onKeyDown = (event: React.KeyboardEvent<HTMLDivElement>) => {
    if (total === 0) return
    const move = (to: number) => {
      event.preventDefault()
      setActive(Math.max(0, Math.min(total - 1, to)))
    }
    // No cursor yet: start from what is on screen (the end, while following a live run).
    const at = active ?? (live ? total : visible.current.from - 1)
    if (event.key === 'ArrowDown' || event.key === 'j') move(at + 1)
    else if (event.key === 'ArrowUp' || event.key === 'k') move(at - 1)
    else if (event.key === 'PageDown') move(at + 20)
    else if (event.key === 'PageUp') move(at - 20)
    else if (event.key === 'Home') move(0)
    else if (event.key === 'End') move(total - 1)
    else if ((event.key === 'Enter' || event.key === ' ') && active !== null) {
      event.preventDefault()
      toggle(active)
    }
  }

  if (transcript.error && total === 0) return <InlineError message={transcript.error} />
  if (transcript.loaded && total === 0) {
    return (
      <p className="run-empty muted" data-testid="transcript-empty">
        {queued
          ? 'Waiting in its lane’s queue until the agent’s own machine picks it up.'
          : live
            ? 'Waiting for the agent’s first words…'
            : 'This run printed nothing.'}
      </p>
    )
  }
  return (
    <VirtualRows
      className="transcript"
      label="Transcript"
      testId="transcript"
      count={total}
      rowHeight={ROW_HEIGHT}
      heights={expanded}
      follow={live}
      newRowsLabel={(n) => `↓ ${n.toLocaleString()} new ${n === 1 ? 'line' : 'lines'}`}
      scrollToIndex={active}
      onRange={onRange}
      onKeyDown={onKeyDown}
      renderRow={(index, top) => (
        <Row
          key={index}
          index={index}
          top={top}
          entry={transcript.window.entry(index)}
          expanded={expanded.has(index)}
          active={active === index}
          onSelect={(i, expandable) => {
            setActive(i)
            if (expandable) toggle(i)
          }}
          onMeasure={measure}
        />
      )}
    />
  )
}
