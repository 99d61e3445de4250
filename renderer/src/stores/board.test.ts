import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FactoryClient, PushedEvent } from '../../../shared/api'
import { toCard, type Board, type Spec } from '../../../shared/domain'
import { makeAgent, makeSpec } from '../../../shared/testing'
import { FactoryError } from '../../../shared/errors'
import { installClient } from '../client'
import { useBoard } from './board'
import { startLiveUpdates } from './liveUpdates'

const spec = makeSpec

/** A client whose answers the test releases by hand, to stage races. */
function fakeClient() {
  const calls: {
    op: string
    input: unknown
    resolve: (v: unknown) => void
    reject: (e: unknown) => void
  }[] = []
  const listeners = new Set<(event: PushedEvent) => void>()
  const client: FactoryClient = {
    call: (op, input) =>
      new Promise((resolve, reject) => calls.push({ op, input, resolve, reject })) as never,
    subscribe: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
  const push = (seq: number, type: string) =>
    listeners.forEach((l) =>
      l({ kind: 'ledger', event: { seq, ts: 0, type, subject: 's_1', actor: 'cli', payload: {} } }),
    )
  const connected = (seq: number) => listeners.forEach((l) => l({ kind: 'connected', seq }))
  return { client, calls, push, connected }
}

const board = (seq: number, specs: Spec[]): Board => ({
  agents: [makeAgent('bob', { createdAt: 0 })],
  specs: specs.map(toCard),
  seq,
})

let fake: ReturnType<typeof fakeClient>
beforeEach(async () => {
  fake = fakeClient()
  installClient(fake.client)
  useBoard.setState({ status: 'loading', error: null, agents: [], specs: [], seq: -1, pending: {} })
  const loading = useBoard.getState().load()
  fake.calls.shift()!.resolve(board(5, [spec(1), spec(2)]))
  await loading
})

describe('board store', () => {
  it('moves a card at once and keeps the engine’s answer', async () => {
    const moving = useBoard.getState().moveSpec('s_1', { stage: 'software', agent: 'bob' })
    expect(useBoard.getState().specs[0]).toMatchObject({ stage: 'software', agent: 'bob' })
    const call = fake.calls.shift()!
    expect(call).toMatchObject({
      op: 'spec/move',
      input: { id: 's_1', stage: 'software', agent: 'bob' },
    })
    call.resolve(spec(1, { stage: 'software', agent: 'bob', status: 'ready' }))
    await moving
    expect(useBoard.getState().specs[0]).toMatchObject({ stage: 'software', status: 'ready' })
    expect(useBoard.getState().pending).toEqual({})
  })

  it('puts the card back when the engine refuses the move', async () => {
    const moving = useBoard.getState().moveSpec('s_1', { stage: 'marketing', agent: null })
    fake.calls.shift()!.reject(new FactoryError('SpecNotFound', 'no spec with id "s_1"'))
    await expect(moving).rejects.toThrow('no spec with id "s_1"')
    expect(useBoard.getState().specs[0]).toMatchObject({ stage: 'idea', agent: null })
  })

  it('keeps an in-flight move over a board read that raced it', async () => {
    const moving = useBoard.getState().moveSpec('s_1', { stage: 'software', agent: null })
    const move = fake.calls.shift()!
    const reading = useBoard.getState().load()
    fake.calls.shift()!.resolve(board(6, [spec(1), spec(2)]))
    await reading
    expect(useBoard.getState().specs[0]).toMatchObject({ stage: 'software' })
    move.resolve(spec(1, { stage: 'software' }))
    await moving
  })

  it('ignores a board read older than the one shown', async () => {
    const reading = useBoard.getState().load()
    fake.calls.shift()!.resolve(board(3, []))
    await reading
    expect(useBoard.getState().specs).toHaveLength(2)
    expect(useBoard.getState().seq).toBe(5)
  })

  it('shows a first-load failure as an error the user can retry', async () => {
    useBoard.setState({ status: 'loading', seq: -1 })
    const reading = useBoard.getState().load()
    fake.calls.shift()!.reject(new FactoryError('LedgerUnavailable', 'the ledger is locked'))
    await reading
    expect(useBoard.getState()).toMatchObject({ status: 'error', error: 'the ledger is locked' })
  })
})

describe('live updates', () => {
  afterEach(() => vi.useRealTimers())

  it('re-reads once for a burst of new spec events, and not for old or unrelated ones', async () => {
    vi.useFakeTimers()
    const stop = startLiveUpdates(fake.client)
    fake.push(4, 'spec.moved') // already in the board (seq 5)
    fake.push(6, 'run.usage') // not board news
    await vi.advanceTimersByTimeAsync(100)
    expect(fake.calls).toHaveLength(0)
    fake.push(6, 'spec.created')
    fake.push(7, 'agent.added')
    await vi.advanceTimersByTimeAsync(100)
    expect(fake.calls.map((c) => c.op)).toEqual(['board/get'])
    fake.calls.shift()!.resolve(board(7, [spec(1)]))
    stop()
  })

  it('re-reads on (re)connecting only when the board is behind the host', async () => {
    vi.useFakeTimers()
    const stop = startLiveUpdates(fake.client)
    const boardReads = () => fake.calls.filter((c) => c.op === 'board/get')
    fake.connected(5) // the board already has seq 5: nothing was missed
    await vi.advanceTimersByTimeAsync(100)
    expect(boardReads()).toEqual([])
    // Lane capacity (windows slide with time) is read on every (re)connection.
    expect(fake.calls.map((c) => c.op)).toEqual(['usage/get', 'settings/get'])
    fake.connected(8) // three events happened while nobody listened
    await vi.advanceTimersByTimeAsync(100)
    expect(boardReads()).toHaveLength(1)
    boardReads()[0]!.resolve(board(8, []))
    stop()
  })
})
