// The full spec behind a card (with its body), re-read whenever the ledger reports news about it.
import { useCallback, useEffect, useState } from 'react'
import type { Spec, SpecId } from '../../../shared/domain'
import { client } from '../client'
import { toFactoryError } from '../../../shared/errors'

const DEBOUNCE_MS = 50

interface SpecState {
  id: SpecId
  spec: Spec | null
  error: string | null
}

export function useSpec(id: SpecId) {
  const [state, setState] = useState<SpecState>({ id, spec: null, error: null })

  useEffect(() => {
    let alive = true
    let timer: ReturnType<typeof setTimeout> | undefined
    const read = () => {
      client()
        .call('spec/get', { id })
        .then(
          (spec) => alive && setState({ id, spec, error: null }),
          (error: unknown) =>
            alive &&
            setState((s) => ({
              id,
              spec: s.id === id ? s.spec : null,
              error: toFactoryError(error).message,
            })),
        )
    }
    read()
    const unsubscribe = client().subscribe((pushed) => {
      if (pushed.kind !== 'ledger' || pushed.event.subject !== id) return
      clearTimeout(timer)
      timer = setTimeout(read, DEBOUNCE_MS)
    })
    return () => {
      alive = false
      clearTimeout(timer)
      unsubscribe()
    }
  }, [id])

  /** Show a spec the engine just returned (after an edit) without waiting for the push. */
  const replace = useCallback((spec: Spec) => setState({ id: spec.id, spec, error: null }), [])
  const current = state.id === id ? state : { id, spec: null, error: null }
  return { ...current, replace }
}
