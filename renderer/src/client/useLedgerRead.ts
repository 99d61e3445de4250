// A value read from the engine and read again (debounced) whenever a pushed ledger event says it
// may have changed: the one pattern behind the spec drawer and the run views.
import { useCallback, useEffect, useState } from 'react'
import { toFactoryError } from '../../../shared/errors'
import { client } from '.'

const DEBOUNCE_MS = 80

/** Calls `read` now and again (debounced) for every pushed ledger event `matches` accepts. */
export function useLedgerRead<T>(
  key: string,
  read: () => Promise<T>,
  matches: (subject: string, payload: Record<string, unknown>) => boolean,
): { value: T | null; error: string | null; replace: (value: T) => void } {
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
          alive &&
          // Keep what was shown only if it is this key's (a failed re-read, not a new key).
          setState((s) => ({
            key,
            value: s.key === key ? s.value : null,
            error: toFactoryError(error).message,
          })),
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
  /** Show a value the engine just returned (after an edit) without waiting for the push. */
  const replace = useCallback((value: T) => setState({ key, value, error: null }), [key])
  return state.key === key ? { ...state, replace } : { value: null, error: null, replace }
}
