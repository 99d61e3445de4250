// One shared minute tick, so every card's "3h ago" ages without each card owning a timer.
import { useEffect, useState } from 'react'
import { create } from 'zustand'

const TICK_MS = 30_000

export const useClock = create<{ now: number }>()(() => ({ now: Date.now() }))

export function startClock(): () => void {
  const timer = setInterval(() => useClock.setState({ now: Date.now() }), TICK_MS)
  return () => clearInterval(timer)
}

/**
 * Now, every second while `live` (a running run's duration in the drawer and the run view), else
 * the shared tick: the board's clock moves only twice a minute, too slow for "2m 10s".
 */
export function useLiveNow(live: boolean): number {
  const boardNow = useClock((s) => s.now)
  const [now, setNow] = useState(Date.now)
  useEffect(() => {
    if (!live) return
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [live])
  return Math.max(now, boardNow)
}
