// The raw log, exactly as the agent printed it: the tail first, earlier parts on request, growing
// live. At most MAX_HELD bytes are held; older text is dropped from view (it stays on disk).
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import { toFactoryError } from '../../../../shared/errors'
import type { RunId } from '../../../../shared/runs'
import { client } from '../../client'
import { InlineError } from '../InlineError'
import { Loading } from '../Loading'

const CHUNK = 64 * 1024
const MAX_HELD = 1024 * 1024

interface Held {
  /** Byte offsets of the text held: [start, end). */
  start: number
  end: number
  text: string
}

const byteLength = (text: string) => new TextEncoder().encode(text).length

/** A window that starts mid-file starts at its first whole line (not "69 of the flood"). */
function fromLineStart(chunk: { offset: number; text: string }): { start: number; text: string } {
  const newline = chunk.text.indexOf('\n')
  if (chunk.offset === 0 || newline < 0) return { start: chunk.offset, text: chunk.text }
  const dropped = chunk.text.slice(0, newline + 1)
  return { start: chunk.offset + byteLength(dropped), text: chunk.text.slice(newline + 1) }
}

export function RawLogView({ runId }: { runId: RunId }) {
  const [held, setHeld] = useState<Held | null>(null)
  const [error, setError] = useState<string | null>(null)
  const pre = useRef<HTMLPreElement | null>(null)
  const atBottom = useRef(true)
  const reading = useRef(false)

  const readMore = useCallback(
    (from: number) => {
      if (reading.current) return
      reading.current = true
      client()
        .call('run/log', { id: runId, offset: from, limit: CHUNK * 4 })
        .then(
          (chunk) =>
            setHeld((current) => {
              if (!current || chunk.offset !== current.end) return current
              const text = current.text + chunk.text
              const end = chunk.offset + byteLength(chunk.text)
              // Over budget: drop the oldest part (on a line boundary).
              if (text.length <= MAX_HELD) return { ...current, end, text }
              const cut = text.indexOf('\n', text.length - MAX_HELD) + 1
              return {
                start: current.start + byteLength(text.slice(0, cut)),
                end,
                text: text.slice(cut),
              }
            }),
          (failure: unknown) => setError(toFactoryError(failure).message),
        )
        .finally(() => {
          reading.current = false
        })
    },
    [runId],
  )

  useEffect(() => {
    setHeld(null)
    client()
      .call('run/log', { id: runId, offset: -CHUNK, limit: CHUNK })
      .then(
        (chunk) => setHeld({ ...fromLineStart(chunk), end: chunk.offset + byteLength(chunk.text) }),
        (failure: unknown) => setError(toFactoryError(failure).message),
      )
  }, [runId])

  const end = held?.end
  useEffect(() => {
    return client().subscribe((pushed) => {
      if (
        pushed.kind === 'run-output' &&
        pushed.runId === runId &&
        end !== undefined &&
        pushed.logBytes > end
      ) {
        readMore(end)
      }
    })
  }, [runId, end, readMore])

  useLayoutEffect(() => {
    if (pre.current && atBottom.current) pre.current.scrollTop = pre.current.scrollHeight
  }, [held?.text])

  const loadEarlier = () => {
    if (!held || held.start === 0) return
    const from = Math.max(0, held.start - CHUNK)
    void client()
      .call('run/log', { id: runId, offset: from, limit: held.start - from })
      .then((chunk) =>
        setHeld((current) => {
          if (!current || current.start !== chunk.offset + byteLength(chunk.text)) return current
          const whole = fromLineStart(chunk)
          return { ...current, start: whole.start, text: whole.text + current.text }
        }),
      )
  }

  if (error) return <InlineError message={error} />
  if (!held) {
    return <Loading className="run-empty">Reading the log…</Loading>
  }
  return (
    <div className="raw-log">
      {held.start > 0 && (
        <button
          type="button"
          className="button button-secondary button-small raw-log-earlier"
          onClick={loadEarlier}
        >
          Show earlier output ({Math.round(held.start / 1024)} KB before this)
        </button>
      )}
      <pre
        ref={pre}
        className="raw-log-text"
        data-testid="raw-log"
        tabIndex={0}
        onScroll={() => {
          const node = pre.current
          if (node) atBottom.current = node.scrollTop + node.clientHeight >= node.scrollHeight - 24
        }}
      >
        {held.text || 'This run printed nothing.'}
      </pre>
    </div>
  )
}
