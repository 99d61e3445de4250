// Each lane's capacity as the engine counts it (quota windows, running vs cap, holds), read with
// `usage/get` and re-read after pushed events that change it, and every half minute because
// windows slide and holds end with time alone.
import { create } from 'zustand'
import type { FactorySettings } from '../../../shared/domain'
import type { AgentUsage } from '../../../shared/quotas'
import { client } from '../client'
import { singleFlight } from '../client/singleFlight'

interface CapacityStore {
  byAgent: Record<string, AgentUsage>
  /** The allocator's switch and the global cap; null until first read. */
  settings: FactorySettings | null
  load(): Promise<void>
}

export const useCapacity = create<CapacityStore>()((set) => {
  const reads = singleFlight(async () => {
    try {
      const [usages, settings] = await Promise.all([
        client().call('usage/get', {}),
        client().call('settings/get', {}),
      ])
      set({ byAgent: Object.fromEntries(usages.map((u) => [u.agent, u])), settings })
    } catch {
      // Lane headers keep what they showed; the next push or tick tries again.
    }
  })
  return { byAgent: {}, settings: null, load: reads.run }
})

/** Events that change a lane's capacity: its runs, its settings and holds, imported usage. */
export function changesCapacity(type: string): boolean {
  return /^(agent|usage|settings)\.|^run\.|^spec\.dispatched$/.test(type)
}
