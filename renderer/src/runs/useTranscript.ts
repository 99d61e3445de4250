// A run's transcript for the run view: pages fetched as they scroll into view, the total kept up
// to date by pushed run-output events, memory bounded by TranscriptWindow (see TranscriptLoader).
import { useCallback, useEffect, useMemo, useReducer } from 'react'
import { toFactoryError } from '../../../shared/errors'
import type { RunId } from '../../../shared/runs'
import { client } from '../client'
import { TranscriptLoader } from './transcriptLoader'

/** How often an open transcript reads its total again, in case a push went missing. */
const RECOUNT_MS = 2000

export function useTranscript(runId: RunId) {
  const [version, bump] = useReducer((n: number) => n + 1, 0)
  // One loader per run, made while rendering, so the list's first range goes to this run's.
  const loader = useMemo(() => makeLoader(runId, bump), [runId])

  useEffect(() => {
    loader.open()
    const recounting = setInterval(() => loader.recount(), RECOUNT_MS)
    const unsubscribe = client().subscribe((pushed) => {
      if (pushed.kind === 'run-output' && pushed.runId === runId) loader.grew(pushed.entries)
      // The run ended or moved on: its last entries may not have been pushed yet.
      else if (pushed.kind === 'ledger' && pushed.event.subject === runId) loader.recount()
    })
    return () => {
      clearInterval(recounting)
      unsubscribe()
      loader.close()
    }
  }, [runId, loader])

  const load = useCallback((from: number, to: number) => loader.load(from, to), [loader])
  return {
    window: loader.window,
    total: loader.window.total,
    loaded: loader.loaded,
    error: loader.error,
    version,
    load,
  }
}

function makeLoader(runId: RunId, changed: () => void): TranscriptLoader {
  return new TranscriptLoader(
    (from, limit) => client().call('run/transcript', { id: runId, from, limit }),
    changed,
    (failure) => toFactoryError(failure).message,
  )
}
