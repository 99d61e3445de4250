// One shared minute tick, so every card's "3h ago" ages without each card owning a timer.
import { create } from 'zustand'

const TICK_MS = 30_000

export const useClock = create<{ now: number }>()(() => ({ now: Date.now() }))

export function startClock(): () => void {
  const timer = setInterval(() => useClock.setState({ now: Date.now() }), TICK_MS)
  return () => clearInterval(timer)
}
