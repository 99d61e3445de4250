// The part of a run's transcript the renderer holds: pages of entries around what is on screen,
// never the whole thing. A 100,000-entry transcript costs at most MAX_PAGES × PAGE_SIZE entries.
import type { TranscriptEntry } from '../../../shared/runs'

export const PAGE_SIZE = 200
export const MAX_PAGES = 12

export class TranscriptWindow {
  total = 0
  private readonly pages = new Map<number, TranscriptEntry[]>()

  entry(index: number): TranscriptEntry | undefined {
    return this.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE]
  }

  /** Pages needed to show entries [from, to) that are missing or incomplete. */
  missing(from: number, to: number): number[] {
    const needed: number[] = []
    const last = Math.floor((Math.min(to, this.total) - 1) / PAGE_SIZE)
    for (let page = Math.floor(Math.max(0, from) / PAGE_SIZE); page <= last; page++) {
      const have = this.pages.get(page)
      const expected = Math.min(PAGE_SIZE, this.total - page * PAGE_SIZE)
      if (!have || have.length < expected) needed.push(page)
    }
    return needed
  }

  /** Stores a page and drops the pages farthest from it beyond the budget. */
  store(page: number, entries: TranscriptEntry[], total: number): void {
    this.total = Math.max(this.total, total)
    this.pages.set(page, entries)
    if (this.pages.size <= MAX_PAGES) return
    const byDistance = [...this.pages.keys()].sort(
      (a, b) => Math.abs(b - page) - Math.abs(a - page),
    )
    for (const far of byDistance.slice(0, this.pages.size - MAX_PAGES)) this.pages.delete(far)
  }

  get heldEntries(): number {
    let count = 0
    for (const entries of this.pages.values()) count += entries.length
    return count
  }
}
