// The allocator's choices, without a ledger: most headroom wins, pinned specs wait for their lane,
// nothing goes past a cap, a window's limit or the global cap, and every choice says why.
import { describe, expect, it } from 'vitest'
import type { SpecId } from '../../../../shared/domain'
import type { AgentUsage, WindowUsage } from '../../../../shared/quotas'
import { planAllocation, type QueuedSpec } from './allocator'
import { makeUsage } from '../../../../shared/testing'

const HOUR = 3_600_000

function lane(agent: string, fields: Partial<AgentUsage> = {}, utilization?: number): AgentUsage {
  const windows: WindowUsage[] =
    utilization === undefined
      ? []
      : [
          {
            window: '5h',
            durationMs: 5 * HOUR,
            unit: 'tokens',
            limit: 1000,
            used: utilization * 1000,
            utilization,
            freesAt: Date.now() + HOUR,
          },
        ]
  return makeUsage(agent, { maxConcurrent: 2, windows, ...fields })
}

function specs(count: number, fields: Partial<QueuedSpec> = {}): QueuedSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `s_${i + 1}` as SpecId,
    title: `Spec ${i + 1}`,
    agent: null,
    waitingOn: [],
    ...fields,
  }))
}

const plan = (queued: QueuedSpec[], lanes: AgentUsage[], globalFree = Infinity) =>
  planAllocation({ specs: queued, lanes, blocked: new Map(), globalFree })

describe('the allocator', () => {
  it('gives each spec to the lane with the most headroom, and says why', () => {
    const result = plan(specs(1), [lane('bob', {}, 0.6), lane('alice', {}, 0.12)])
    expect(result.assign).toEqual([
      {
        spec: 's_1',
        title: 'Spec 1',
        agent: 'alice',
        reason: 'to alice: 12% of 5h tokens used, 0/2 running · bob 60% used, 0/2 running',
      },
    ])
  })

  it('fills lanes up to their caps, emptier lane first on equal headroom, then waits', () => {
    const result = plan(specs(6), [lane('bob', { running: 1 }), lane('alice')])
    expect(result.assign.map((d) => d.agent)).toEqual(['alice', 'alice', 'bob'])
    expect(result.assign[2]!.reason).toBe(
      'to bob: no quota windows, 1/2 running · alice busy (2/2 running)',
    )
    expect(result.waiting).toHaveLength(3)
    expect(result.waiting[0]!.reason).toBe(
      'no agent has room: bob is at its limit of runs at once · alice is at its limit of runs at once',
    )
  })

  it('breaks a tie in share by what is left: the bigger seat at the same share goes first', () => {
    const seat = (name: string, limit: number) =>
      lane(name, {
        windows: [
          {
            window: '5h',
            durationMs: 5 * HOUR,
            unit: 'tokens',
            limit,
            used: 0,
            utilization: 0,
            freesAt: null,
          },
        ],
      })
    const result = plan(specs(1), [seat('alice', 1_000_000), seat('bob', 2_000_000)])
    expect(result.assign[0]).toMatchObject({ agent: 'bob' })
    expect(result.assign[0]!.reason).toBe(
      'to bob: 0% of 5h tokens used, 0/2 running · alice 0% used, 0/2 running',
    )
  })

  it('counts what waits in a remote lane’s queue against its cap, and says so', () => {
    // Half its slots are taken by its queue: the emptier lane goes first, then alice's last slot.
    const result = plan(specs(4), [lane('alice', { maxConcurrent: 2, waiting: 1 }), lane('bob')])
    expect(result.assign.map((d) => d.agent)).toEqual(['bob', 'alice', 'bob'])
    const queued = plan(specs(1), [lane('alice', { maxConcurrent: 1, waiting: 1 }), lane('bob')])
    expect(queued.assign[0]!.reason).toBe(
      'to bob: no quota windows, 0/2 running · alice busy (0/1 running · 1 waiting)',
    )
  })

  it('never dispatches to a lane that is disabled, paused, over a window or blocked', () => {
    const until = Date.now() + HOUR
    const result = planAllocation({
      specs: specs(3),
      lanes: [
        lane('full', {}, 1),
        lane('off', { enabled: false }),
        lane('held', { pausedUntil: until, pauseReason: 'quota_exhausted: limit' }),
        lane('nocli'),
      ],
      blocked: new Map([['nocli', 'nocli: claude CLI not found']]),
      globalFree: Infinity,
    })
    expect(result.assign).toEqual([])
    expect(result.waiting).toHaveLength(3)
    // Each lane's own reason, so the user sees what to change, the first three by name.
    expect(result.waiting[0]!.reason).toMatch(
      /^no agent has room: full has used 5h tokens: .*\(100%\); it frees up at \d\d:\d\d · off is disabled \(factory agent set off --enabled yes\) · held is paused until \d\d:\d\d \(quota_exhausted: limit\) · and 1 more$/,
    )
  })

  it('says why the other lanes were not chosen: paused, full, off, busy', () => {
    const until = new Date(2026, 11, 3, 18, 0).getTime()
    const result = plan(specs(1), [
      lane('bob', {}, 0.06),
      lane('alice', { pausedUntil: until, pauseReason: 'quota_exhausted: limit' }),
      lane('gordon', {}, 1.15),
      lane('carol', { enabled: false }),
    ])
    expect(result.assign[0]!.reason).toMatch(
      /^to bob: 6% of 5h tokens used, 0\/2 running · alice paused until 18:00 · gordon full until \d\d:\d\d · carol off$/,
    )
  })

  it('says why each lane took nothing when nothing could be placed', () => {
    const until = new Date(2026, 11, 3, 18, 0).getTime()
    const result = planAllocation({
      specs: specs(2),
      lanes: [
        lane('alice', { pausedUntil: until, pauseReason: 'quota_exhausted: limit' }),
        lane('gordon', { maxConcurrent: 1, running: 1 }),
        lane('carol', { enabled: false }),
        lane('nocli'),
      ],
      blocked: new Map([['nocli', 'nocli: claude CLI not found']]),
      globalFree: Infinity,
    })
    expect(result.assign).toEqual([])
    expect(result.lanes).toEqual([
      { agent: 'alice', reason: 'alice paused until 18:00', room: false },
      { agent: 'gordon', reason: 'gordon busy (1/1 running)', room: false },
      { agent: 'carol', reason: 'carol off', room: false },
      { agent: 'nocli', reason: 'nocli: claude CLI not found', room: false },
    ])
  })

  it('names a lane with room among them when what waits is not for it', () => {
    const result = plan(specs(1, { waitingOn: ['s_9' as SpecId] }), [
      lane('bob', {}, 0.06),
      lane('gordon', { maxConcurrent: 1, running: 1 }),
    ])
    expect(result.lanes).toEqual([
      { agent: 'bob', reason: 'bob 6% used, 0/2 running', room: true },
      { agent: 'gordon', reason: 'gordon busy (1/1 running)', room: false },
    ])
  })

  it('lists no lanes once something was placed, or when nothing waits', () => {
    expect(plan(specs(1), [lane('bob'), lane('alice', { enabled: false })]).lanes).toEqual([])
    expect(plan([], [lane('bob', { enabled: false })]).lanes).toEqual([])
  })

  it('leaves headroom: no run starts where the lane’s usual run would pass a window’s line', () => {
    // 900 of 1000 tokens used: a run that usually costs 150 would end past the line.
    const lanes = [lane('bob', {}, 0.9), lane('alice', {}, 0.95)]
    const costs = new Map([
      ['bob', { tokens: 150, runs: 1 }],
      ['alice', { tokens: 40, runs: 1 }],
    ])
    const result = planAllocation({
      specs: specs(2),
      lanes,
      blocked: new Map(),
      globalFree: Infinity,
      runCosts: costs,
    })
    expect(result.assign.map((d) => d.agent)).toEqual(['alice', 'alice'])
    expect(result.assign[0]!.reason).toBe(
      'to alice: 95% of 5h tokens used, 0/2 running · bob near its limit',
    )
    // Without history the windows alone decide, as before.
    const blind = plan(specs(1), lanes)
    expect(blind.assign.map((d) => d.agent)).toEqual(['bob'])
    // An empty window takes one run, however big: nothing else could ever start there.
    const empty = planAllocation({
      specs: specs(1),
      lanes: [lane('bob', {}, 0)],
      blocked: new Map(),
      globalFree: Infinity,
      runCosts: new Map([['bob', { tokens: 5000, runs: 1 }]]),
    })
    expect(empty.assign.map((d) => d.agent)).toEqual(['bob'])
    const waiting = planAllocation({
      specs: specs(1),
      lanes: [lane('bob', {}, 0.9)],
      blocked: new Map(),
      globalFree: Infinity,
      runCosts: costs,
    }).waiting[0]!.reason
    expect(waiting).toBe(
      'no agent has room: bob has 100 tokens of its 5h window left; a run there uses about 150 tokens',
    )
  })

  it('says there are no lanes yet when there are none', () => {
    expect(plan(specs(1), []).waiting[0]!.reason).toBe(
      'no agents yet: add a lane (factory agent add NAME)',
    )
  })

  it('keeps a pinned spec for its lane, saying what holds that lane', () => {
    const until = Date.now() + HOUR
    const result = plan(specs(2, { agent: 'bob' }), [
      lane('bob', { pausedUntil: until, pauseReason: 'rate_limited: 429' }),
      lane('alice'),
    ])
    expect(result.assign).toEqual([])
    expect(result.waiting[0]!.reason).toMatch(
      /^bob is paused until \d\d:\d\d \(rate_limited: 429\)$/,
    )
  })

  it('stops at the global cap, whatever room the lanes have', () => {
    const result = plan(specs(5), [lane('bob', { maxConcurrent: 4 }), lane('alice')], 2)
    expect(result.assign).toHaveLength(2)
    expect(result.waiting.map((w) => w.reason)).toContain(
      'the factory is at its global limit of runs at once',
    )
  })

  it('sends one run at a time to a lane probing after a quota hold', () => {
    const result = plan(specs(4), [lane('bob', { maxConcurrent: 3, probing: true })])
    expect(result.assign).toHaveLength(1)
  })

  it('skips specs waiting for dependencies, serving the next ready one', () => {
    const queued = specs(2)
    queued[0] = { ...queued[0]!, waitingOn: ['s_9' as SpecId] }
    const result = plan(queued, [lane('bob')])
    expect(result.assign.map((d) => d.spec)).toEqual(['s_2'])
    expect(result.waiting).toEqual([
      { spec: 's_1', title: 'Spec 1', reason: 'waits for s_9 to ship' },
    ])
  })

  it('places a spec only on a lane its blueprint fits, and says so when none has room', () => {
    const queued = specs(2, { needs: { runners: ['codex'] } })
    queued[1] = { ...queued[1]!, needs: { problem: 'no blueprint named "web" in /x' } }
    const result = planAllocation({
      specs: queued,
      lanes: [lane('bob', {}, 0), lane('alice', {}, 0.5)],
      blocked: new Map(),
      globalFree: Infinity,
      runners: new Map([
        ['bob', 'claude'],
        ['alice', 'codex'],
      ]),
    })
    // bob has more headroom, but only alice drives codex.
    expect(result.assign.map((d) => [d.spec, d.agent])).toEqual([['s_1', 'alice']])
    expect(result.waiting).toEqual([
      { spec: 's_2', title: 'Spec 2', reason: 'no blueprint named "web" in /x' },
    ])
    const full = planAllocation({
      specs: specs(1, { needs: { runners: ['codex'] } }),
      lanes: [lane('bob')],
      blocked: new Map(),
      globalFree: Infinity,
      runners: new Map([['bob', 'claude']]),
    })
    expect(full.waiting[0]!.reason).toBe(
      'no lane that fits has room (its blueprint needs a codex lane)',
    )
  })

  it('lists the first waiting specs and counts the rest of a long queue', () => {
    const result = plan(specs(10_000), [lane('bob')])
    expect(result.assign).toHaveLength(2)
    expect(result.waiting).toHaveLength(100)
    expect(result.moreWaiting).toBe(10_000 - 2 - 100)
  })

  it('stops reading a long queue once nothing more can start and the list is full', () => {
    const queue = specs(10_000)
    let read = 0
    function* lazily() {
      for (const spec of queue) {
        read++
        yield spec
      }
    }
    const result = planAllocation({
      specs: lazily(),
      total: queue.length,
      lanes: [lane('bob')],
      blocked: new Map(),
      globalFree: Infinity,
    })
    expect(result.assign).toHaveLength(2)
    expect(result.waiting).toHaveLength(100)
    expect(result.moreWaiting).toBe(10_000 - 2 - 100)
    expect(read).toBeLessThanOrEqual(2 + 100 + 1)
  })
})
