// A round in a sentence, as the board's toast and the CLI say it.
import { describe, expect, it } from 'vitest'
import { describeRound, type AllocationRound } from './allocation'
import type { SpecId } from './domain'
import type { RunId } from './runs'

const round = (fields: Partial<AllocationRound>): AllocationRound => ({
  dryRun: false,
  dispatched: [],
  waiting: [],
  moreWaiting: 0,
  lanes: [],
  ...fields,
})
const decision = (n: number, agent: string, others = '') => ({
  spec: `s_${n}` as SpecId,
  title: `Spec ${n}`,
  agent,
  reason: `to ${agent}: 6% of 5h runs used, 0/2 running${others}`,
  run: `r_${n}` as RunId,
})

describe('a round in words', () => {
  it('says the first start with its reason and names the others', () => {
    const many = round({
      dispatched: [
        decision(1, 'bob', ' · alice paused'),
        ...[2, 3, 4, 5].map((n) => decision(n, 'alice')),
      ],
    })
    expect(describeRound(many)).toBe(
      'Started “Spec 1” on bob: 6% of 5h runs used, 0/2 running · alice paused; also “Spec 2” on alice, “Spec 3” on alice, 2 more',
    )
    const { run: _run, ...planned } = decision(1, 'bob')
    expect(describeRound(round({ dryRun: true, dispatched: [planned] }))).toMatch(
      /^Would start “Spec 1” on bob: /,
    )
  })

  it('names three lanes that had no room and counts the rest', () => {
    const lanes = ['alice', 'bob', 'carol', 'dan', 'erin'].map((agent) => ({
      agent,
      reason: `${agent} off`,
      room: false,
    }))
    const waiting = [{ spec: 's_1' as SpecId, title: 'Spec 1', reason: 'no agent has room: …' }]
    expect(describeRound(round({ waiting, lanes }))).toBe(
      'Nothing started: alice off · bob off · carol off · 2 more',
    )
    // One lane with room: the spec's own reason says why it waits.
    lanes[4]!.room = true
    expect(describeRound(round({ waiting, lanes, moreWaiting: 2 }))).toBe(
      'Nothing started: “Spec 1” waits: no agent has room: … (2 more waiting)',
    )
  })

  it('says when nothing is waiting, with the host’s way to queue one', () => {
    expect(describeRound(round({}))).toBe('Nothing is waiting')
    expect(describeRound(round({}), 'drop a spec on Software · Unassigned')).toBe(
      'Nothing is waiting: drop a spec on Software · Unassigned',
    )
  })
})
