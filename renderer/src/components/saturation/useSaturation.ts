// The saturation numbers for a query, read again when the ledger says usage or agents changed.
// Throttled, not debounced: while runs stream usage deltas several times a second a debounce would
// never fire, and the view would freeze exactly while it matters most.
import { useEffect, useState } from 'react'
import { toFactoryError } from '../../../../shared/errors'
import type { Saturation } from '../../../../shared/saturation'
import { client } from '../../client'
import type { SaturationQuery } from './saturationQuery'

const THROTTLE_MS = 2_000

/** Events after which the chart may read differently: usage, runs starting, agents' quotas. */
export function changesSaturation(type: string): boolean {
  return /^(run|agent)\./.test(type)
}

export interface SaturationState {
  /** The latest answer; while another query loads, the previous one stays on screen. */
  value: Saturation | null
  error: string | null
  loading: boolean
  retry(): void
}

export function useSaturation(query: SaturationQuery): SaturationState {
  const [state, setState] = useState<Omit<SaturationState, 'retry'>>({
    value: null,
    error: null,
    loading: true,
  })
  const [attempt, setAttempt] = useState(0)
  const { days, bucket } = query

  useEffect(() => {
    let alive = true
    let latest = 0
    let lastLoad = 0
    let timer: ReturnType<typeof setTimeout> | undefined
    const load = () => {
      timer = undefined
      lastLoad = Date.now()
      const request = ++latest
      setState((s) => ({ ...s, loading: true }))
      client()
        .call('usage/saturation', { days, bucket })
        .then(
          (value) =>
            alive && request === latest && setState({ value, error: null, loading: false }),
          (error: unknown) =>
            alive &&
            request === latest &&
            setState((s) => ({ ...s, error: toFactoryError(error).message, loading: false })),
        )
    }
    load()
    const unsubscribe = client().subscribe((pushed) => {
      const relevant =
        pushed.kind === 'connected' ||
        (pushed.kind === 'ledger' && changesSaturation(pushed.event.type))
      if (!relevant || timer) return
      timer = setTimeout(load, Math.max(0, lastLoad + THROTTLE_MS - Date.now()))
    })
    return () => {
      alive = false
      clearTimeout(timer)
      unsubscribe()
    }
  }, [days, bucket, attempt])

  return { ...state, retry: () => setAttempt((n) => n + 1) }
}
