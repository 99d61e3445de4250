// A fixture subscription's own meter, kept apart from the engine's ledger: rolling windows of
// tokens, as the engine counts them (a use counts for D after it happened). It answers what a
// provider answers a CLI: how much more it may use now, and when a full window lets work in again.
export interface MeterWindow {
  durationMs: number
  limit: number
}

export class Subscription {
  /** Uses in time order, with running sums (cum[i]: everything up to and including i). */
  private readonly ts: number[] = []
  private readonly cum: number[] = []

  constructor(readonly windows: MeterWindow[]) {}

  book(ts: number, tokens: number): void {
    this.ts.push(ts)
    this.cum.push((this.cum.at(-1) ?? 0) + tokens)
  }

  /** Tokens it may still use at `now` before a window is full. */
  headroom(now: number): number {
    return Math.min(...this.windows.map((w) => w.limit - this.used(w, now)))
  }

  /** When every full window has let enough go that it is below its limit again. */
  resetAt(now: number): number {
    let at = now
    const total = this.cum.at(-1) ?? 0
    for (const window of this.windows) {
      if (this.used(window, now) < window.limit) continue
      // The first use whose leaving brings the window below its limit.
      let index = this.firstAfter(now - window.durationMs)
      while (total - this.cum[index]! >= window.limit) index++
      at = Math.max(at, this.ts[index]! + window.durationMs)
    }
    return at
  }

  private used(window: MeterWindow, now: number): number {
    const first = this.firstAfter(now - window.durationMs)
    const before = first === 0 ? 0 : this.cum[first - 1]!
    return (this.cum.at(-1) ?? 0) - before
  }

  /** Index of the first use later than `ts` (binary search: uses come in time order). */
  private firstAfter(ts: number): number {
    let low = 0
    let high = this.ts.length
    while (low < high) {
      const mid = (low + high) >> 1
      if (this.ts[mid]! > ts) high = mid
      else low = mid + 1
    }
    return low
  }
}
