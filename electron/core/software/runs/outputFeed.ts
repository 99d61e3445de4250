// Tells UIs that a running run's transcript or log grew, a few times a second at most, so a run
// view streams without polling and without every output line becoming a ledger event.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import type { RunOutputEvent } from '../../../../shared/api'
import type { RunId } from '../../../../shared/runs'
import type { Ledger } from '../../db/ledger'
import { activeRunRows } from './runs'
import { RUN_FILES, transcriptLength } from './transcript'

function size(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

export class RunOutputFeed {
  private readonly seen = new Map<string, string>()
  private readonly listeners = new Set<(event: RunOutputEvent) => void>()
  private timer: NodeJS.Timeout | undefined

  constructor(
    private readonly ledger: Ledger,
    private readonly intervalMs = 250,
  ) {}

  subscribe(listener: (event: RunOutputEvent) => void): () => void {
    this.listeners.add(listener)
    if (!this.timer) {
      this.timer = setInterval(() => this.poll(), this.intervalMs)
      this.timer.unref()
    }
    return () => {
      this.listeners.delete(listener)
      if (this.listeners.size === 0) this.close()
    }
  }

  close(): void {
    clearInterval(this.timer)
    this.timer = undefined
  }

  private poll(): void {
    let rows
    try {
      rows = activeRunRows(this.ledger)
    } catch {
      return // closed under us at shutdown
    }
    const active = new Set<string>()
    for (const row of rows) {
      active.add(row.id)
      const event: RunOutputEvent = {
        kind: 'run-output',
        runId: row.id as RunId,
        entries: transcriptLength(row.runDir),
        logBytes: size(join(row.runDir, RUN_FILES.log)),
      }
      const key = `${event.entries}:${event.logBytes}`
      if (this.seen.get(row.id) === key) continue
      this.seen.set(row.id, key)
      for (const listener of this.listeners) listener(event)
    }
    for (const id of this.seen.keys()) if (!active.has(id)) this.seen.delete(id)
  }
}
