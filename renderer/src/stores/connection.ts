// Whether pushed events are reaching us; the header shows it so a stale board is never silent.
import { create } from 'zustand'
import type { ConnectionState } from '../client'

interface ConnectionStore {
  state: ConnectionState
  setState(state: ConnectionState): void
}

export const useConnection = create<ConnectionStore>()((set) => ({
  state: 'connecting',
  setState: (state) => set({ state }),
}))
