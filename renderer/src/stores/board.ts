// The board as the engine last reported it, plus the moves the user made that are still in flight.
import { create } from 'zustand'
import type { Input } from '../../../shared/api'
import {
  toCard,
  type Agent,
  type Placement,
  type Spec,
  type SpecCard,
  type SpecId,
  type SpecStatus,
} from '../../../shared/domain'
import { FactoryError } from '../../../shared/errors'
import { client } from '../client'
import { singleFlight } from '../client/singleFlight'
import { toFactoryError } from '../../../shared/errors'

interface PendingMove extends Placement {
  token: number
}

interface BoardStore {
  status: 'loading' | 'ready' | 'error'
  error: string | null
  agents: Agent[]
  specs: SpecCard[]
  seq: number
  /** Optimistic moves awaiting the engine; re-applied over any board read that races them. */
  pending: Record<SpecId, PendingMove>
  load(): Promise<void>
  /** Resolves when no board read is in flight. */
  settled(): Promise<void>
  moveSpec(id: SpecId, to: Placement): Promise<Spec>
  /**
   * Shows the card at `to` at once (with `status`), then lets `commit` make it so; a refusal puts
   * the card back where it was and rethrows. What the engine says comes back with its events.
   */
  placeSpec<T>(
    id: SpecId,
    to: Placement & { status?: SpecStatus },
    commit: () => Promise<T>,
    /** What the card shows once committed (when no later move of it is in flight). */
    settled?: (result: T) => Partial<SpecCard>,
  ): Promise<T>
  addSpec(input: Input<'spec/add'>): Promise<Spec>
}

function place(specs: SpecCard[], id: SpecId, change: Partial<SpecCard>): SpecCard[] {
  const index = specs.findIndex((s) => s.id === id)
  const current = specs[index]
  if (!current) return specs
  const copy = specs.slice()
  copy[index] = { ...current, ...change }
  return copy
}

function withPending(specs: SpecCard[], pending: Record<SpecId, PendingMove>): SpecCard[] {
  const ids = Object.keys(pending) as SpecId[]
  if (ids.length === 0) return specs
  return specs.map((s) => {
    const move = pending[s.id]
    return move ? { ...s, stage: move.stage, agent: move.agent } : s
  })
}

function dropPending(pending: Record<SpecId, PendingMove>, id: SpecId, token: number) {
  if (pending[id]?.token !== token) return pending
  const { [id]: _done, ...rest } = pending
  return rest
}

let moveToken = 0

export const useBoard = create<BoardStore>()((set, get) => {
  const reads = singleFlight(async () => {
    try {
      const board = await client().call('board/get', {})
      if (board.seq < get().seq) return // an older read finishing late
      set({
        status: 'ready',
        error: null,
        agents: board.agents,
        specs: withPending(board.specs, get().pending),
        seq: board.seq,
      })
    } catch (error) {
      // Once the board is up, a failed refresh keeps what the user sees; the next push retries.
      if (get().status !== 'ready') set({ status: 'error', error: toFactoryError(error).message })
    }
  })
  return {
    status: 'loading',
    error: null,
    agents: [],
    specs: [],
    seq: -1,
    pending: {},

    settled: reads.settled,

    load() {
      if (get().status === 'error') set({ status: 'loading', error: null })
      return reads.run()
    },

    async moveSpec(id, to) {
      return get().placeSpec(
        id,
        to,
        () => client().call('spec/move', { id, stage: to.stage, agent: to.agent }),
        (spec) => toCard(spec),
      )
    },

    async placeSpec(id, to, commit, settled) {
      const card = get().specs.find((s) => s.id === id)
      if (!card) throw new FactoryError('SpecNotFound', `no spec with id "${id}" on the board`)
      const from: Partial<SpecCard> = { stage: card.stage, agent: card.agent, status: card.status }
      const token = ++moveToken
      set((state) => ({
        specs: place(state.specs, id, to),
        pending: { ...state.pending, [id]: { stage: to.stage, agent: to.agent, token } },
      }))
      try {
        const result = await commit()
        set((state) => ({
          specs:
            settled && state.pending[id]?.token === token
              ? place(state.specs, id, settled(result))
              : state.specs,
          pending: dropPending(state.pending, id, token),
        }))
        return result
      } catch (error) {
        set((state) => ({
          specs: state.pending[id]?.token === token ? place(state.specs, id, from) : state.specs,
          pending: dropPending(state.pending, id, token),
        }))
        throw toFactoryError(error)
      }
    },

    async addSpec(input) {
      const spec = await client().call('spec/add', input)
      // Show it at once; the pushed spec.created event brings the same card again, deduplicated.
      set((state) =>
        state.specs.some((s) => s.id === spec.id)
          ? state
          : { specs: [...state.specs, toCard(spec)] },
      )
      return spec
    },
  }
})
