// Keeps a run view's transcript in step with the run: the first read gives the total, pushes say
// when it grew, pages are read as they come on screen, and a recount now and then mends what a
// lost push or a page read overtaken by a push left behind. Plain TypeScript (the hook wraps it),
// so the order of reads and pushes is tested without a browser.
import type { TranscriptEntry } from '../../../shared/runs'
import { PAGE_SIZE, TranscriptWindow } from './transcriptWindow'

export interface TranscriptPage {
  entries: TranscriptEntry[]
  total: number
}

/** Reads entries [from, from + limit) of the run's transcript, with its total. */
export type ReadTranscript = (from: number, limit: number) => Promise<TranscriptPage>

export class TranscriptLoader {
  readonly window = new TranscriptWindow()
  loaded = false
  error: string | null = null
  private readonly inflight = new Set<number>()
  private range = { from: 0, to: PAGE_SIZE }
  private closed = false

  constructor(
    private readonly read: ReadTranscript,
    private readonly changed: () => void,
    private readonly describe: (failure: unknown) => string,
  ) {}

  /** The first read: only the total; the list then asks for what is on screen. */
  open(): void {
    this.closed = false
    this.read(0, 1).then(
      (result) => {
        // A push may have counted more already: the larger total wins.
        this.window.total = Math.max(this.window.total, result.total)
        if (this.window.total === 0) this.loaded = true
        this.notify()
      },
      (failure: unknown) => {
        this.error = this.describe(failure)
        this.loaded = true
        this.notify()
      },
    )
  }

  close(): void {
    this.closed = true
  }

  /** The entries [from, to) are on screen: read the pages of them not held yet. */
  load(from: number, to: number): void {
    this.range = { from, to }
    for (const page of this.window.missing(from, to)) this.fetchPage(page)
  }

  /** A push said the transcript has `total` entries now. */
  grew(total: number): void {
    this.window.total = Math.max(this.window.total, total)
    this.reload()
    this.notify()
  }

  /**
   * Reads the total again. Also reads the pages on screen still short of it, whether or not the
   * total grew: a page read that was under way when a push raised the total came back short,
   * and a run that prints nothing more sends no push that would read it again.
   */
  recount(): void {
    this.read(0, 1).then(
      (result) => {
        const grew = result.total > this.window.total
        this.window.total = Math.max(this.window.total, result.total)
        this.reload()
        if (grew) this.notify()
      },
      () => undefined, // the next push or recount tries again
    )
  }

  private reload(): void {
    this.load(this.range.from, this.range.to)
  }

  private fetchPage(page: number): void {
    if (this.inflight.has(page)) return
    this.inflight.add(page)
    this.read(page * PAGE_SIZE, PAGE_SIZE)
      .then(
        (result) => {
          this.window.store(page, result.entries, result.total)
          this.error = null
        },
        (failure: unknown) => {
          this.error = this.describe(failure)
        },
      )
      .finally(() => {
        this.inflight.delete(page)
        this.loaded = true
        this.notify()
      })
  }

  private notify(): void {
    if (!this.closed) this.changed()
  }
}
