// A run's transcript for the run view: pages fetched as they scroll into view, the total kept up
// to date by pushed run-output events, memory bounded by TranscriptWindow.
import { useCallback, useEffect, useReducer, useRef } from 'react'
import { toFactoryError } from '../../../shared/errors'
import type { RunId } from '../../../shared/runs'
import { client } from '../client'
import { PAGE_SIZE, TranscriptWindow } from './transcriptWindow'

/** How often an open transcript reads its total again, in case a push went missing. */
const RECOUNT_MS = 2000

export function useTranscript(runId: RunId) {
  const window = useRef(new TranscriptWindow())
  const inflight = useRef(new Set<number>())
  const range = useRef({ from: 0, to: PAGE_SIZE })
  const error = useRef<string | null>(null)
  const loaded = useRef(false)
  const [version, bump] = useReducer((n: number) => n + 1, 0)

  const fetchPage = useCallback(
    (page: number) => {
      if (inflight.current.has(page)) return
      inflight.current.add(page)
      client()
        .call('run/transcript', { id: runId, from: page * PAGE_SIZE, limit: PAGE_SIZE })
        .then(
          (result) => {
            window.current.store(page, result.entries, result.total)
            error.current = null
          },
          (failure: unknown) => {
            error.current = toFactoryError(failure).message
          },
        )
        .finally(() => {
          inflight.current.delete(page)
          loaded.current = true
          bump()
        })
    },
    [runId],
  )

  const load = useCallback(
    (from: number, to: number) => {
      range.current = { from, to }
      for (const page of window.current.missing(from, to)) fetchPage(page)
    },
    [fetchPage],
  )

  useEffect(() => {
    window.current = new TranscriptWindow()
    loaded.current = false
    // The first read gives the total; the list then asks for what is on screen (the end, when
    // following a live run).
    client()
      .call('run/transcript', { id: runId, from: 0, limit: 1 })
      .then(
        (result) => {
          // A push may have counted more already: the larger total wins.
          window.current.total = Math.max(window.current.total, result.total)
          if (window.current.total === 0) loaded.current = true
          bump()
        },
        (failure: unknown) => {
          error.current = toFactoryError(failure).message
          loaded.current = true
          bump()
        },
      )
    // Pushes say when the transcript grew; a push missed (sent while this view was opening, or
    // lost with a reconnect) would leave it stale, so the total is also read again now and then.
    const recount = (): void => {
      client()
        .call('run/transcript', { id: runId, from: 0, limit: 1 })
        .then(
          (result) => {
            if (result.total <= window.current.total) return
            window.current.total = result.total
            load(range.current.from, range.current.to)
            bump()
          },
          () => undefined, // the next push or recount tries again
        )
    }
    const recounting = setInterval(recount, RECOUNT_MS)
    const unsubscribe = client().subscribe((pushed) => {
      const grew =
        (pushed.kind === 'run-output' && pushed.runId === runId) ||
        (pushed.kind === 'ledger' && pushed.event.subject === runId)
      if (!grew) return
      if (pushed.kind === 'run-output')
        window.current.total = Math.max(window.current.total, pushed.entries)
      // The run ended or moved on: its last entries may not have been pushed yet.
      else recount()
      load(range.current.from, range.current.to)
      bump()
    })
    return () => {
      clearInterval(recounting)
      unsubscribe()
    }
  }, [runId, load])

  return {
    window: window.current,
    total: window.current.total,
    loaded: loaded.current,
    error: error.current,
    version,
    load,
  }
}
