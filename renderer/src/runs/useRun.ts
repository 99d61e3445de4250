// One run (or a spec's runs) as the engine reports it, re-read whenever the ledger says it changed.
import { useEffect, useState } from 'react'
import { toFactoryError } from '../../../shared/errors'
import type { Run, RunId } from '../../../shared/runs'
import { client } from '../client'

const DEBOUNCE_MS = 80

/** Calls `read` now and again (debounced) for every pushed ledger event `matches` accepts. */
function useLedgerRead<T>(
  key: string,
  read: () => Promise<T>,
  matches: (subject: string, payload: Record<string, unknown>) => boolean,
): { value: T | null; error: string | null } {
  const [state, setState] = useState<{ key: string; value: T | null; error: string | null }>({
    key,
    value: null,
    error: null,
  })
  useEffect(() => {
    let alive = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const load = () =>
      read().then(
        (value) => alive && setState({ key, value, error: null }),
        (error: unknown) =>
          alive && setState((s) => ({ ...s, key, error: toFactoryError(error).message })),
      )
    void load()
    const unsubscribe = client().subscribe((pushed) => {
      if (pushed.kind !== 'ledger' || !matches(pushed.event.subject, pushed.event.payload)) return
      clearTimeout(timer)
      timer = setTimeout(load, DEBOUNCE_MS)
    })
    return () => {
      alive = false
      clearTimeout(timer)
      unsubscribe()
    }
    // `key` names everything read and matches depend on.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key])
  return state.key === key ? state : { value: null, error: null }
}

export function useRun(id: RunId) {
  const { value, error } = useLedgerRead(
    id,
    () => client().call('run/get', { id }),
    (subject) => subject === id,
  )
  return { run: value, error }
}

/** A spec's runs, newest first; re-read when any of them (or the spec) changes. */
export function useSpecRuns(specId: string) {
  const { value, error } = useLedgerRead<Run[]>(
    specId,
    () => client().call('run/list', { spec: specId, limit: 50 }),
    (subject, payload) => subject === specId || payload.spec === specId,
  )
  return { runs: value, error }
}
