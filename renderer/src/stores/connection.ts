// Whether pushed events are reaching us, and if not, when the next try is and whether the server
// turned this tab away; the header and the reconnect notice show it so a stale board is never silent.
import { create } from 'zustand'
import type { ConnectionRefusal, ConnectionReport, ConnectionState } from '../client'

interface ConnectionStore {
  state: ConnectionState
  nextTryAt: number | null
  failedTries: number
  refusal: ConnectionRefusal | null
  /** Since when pushes have not been reaching us (ms since the epoch); null while live. */
  droppedAt: number | null
  retryNow: () => void
  report(report: ConnectionReport): void
}

export const useConnection = create<ConnectionStore>()((set, get) => ({
  state: 'connecting',
  nextTryAt: null,
  failedTries: 0,
  refusal: null,
  droppedAt: null,
  retryNow: () => {},
  report: (report) =>
    set({
      ...report,
      droppedAt: report.state === 'live' ? null : (get().droppedAt ?? Date.now()),
    }),
}))
