import { describe, it, expect } from 'vitest'
import type { Agent, SpecCard } from '../../../shared/domain'
import { makeAgent, makeCard } from '../../../shared/testing'
import { cardsIn, cellKey, collapsedLimit, compareCards, groupIntoCells } from './cells'
import { placeOfCellKey } from './dropTarget'

let next = 1
const card = (fields: Partial<SpecCard> = {}): SpecCard => {
  const n = next++
  return makeCard(n, { createdAt: 1_000 + n, updatedAt: 1_000 + n, ...fields })
}
const agent = (name: string): Agent => makeAgent(name)

describe('groupIntoCells', () => {
  it('puts Unassigned first, then agents in board order, even when lanes are empty', () => {
    const board = groupIntoCells([], [agent('bob'), agent('alice')])
    expect(board.lanes).toEqual([null, 'bob', 'alice'])
    expect(board.total).toBe(0)
    expect(cardsIn(board, { stage: 'software', agent: 'alice' })).toEqual([])
  })

  it('files each card under its stage and lane and counts them', () => {
    const a = card({ stage: 'idea' })
    const b = card({ stage: 'software', agent: 'bob' })
    const c = card({ stage: 'software', agent: 'bob' })
    const d = card({ stage: 'marketing' })
    const board = groupIntoCells([a, b, c, d], [agent('bob')])
    expect(cardsIn(board, { stage: 'idea', agent: null }).map((x) => x.id)).toEqual([a.id])
    expect(cardsIn(board, { stage: 'software', agent: 'bob' })).toHaveLength(2)
    expect(board.stageCounts).toEqual({ idea: 1, software: 2, marketing: 1 })
    expect(board.laneCounts.get(null)).toBe(2)
    expect(board.laneCounts.get('bob')).toBe(2)
    expect(board.total).toBe(4)
  })

  it('orders a cell by priority, then newest first', () => {
    const old = card({ createdAt: 10 })
    const recent = card({ createdAt: 20 })
    const urgent = card({ createdAt: 5, priority: 3 })
    const later = card({ createdAt: 30, priority: -1 })
    const board = groupIntoCells([old, later, recent, urgent], [])
    expect(cardsIn(board, { stage: 'idea', agent: null }).map((x) => x.id)).toEqual([
      urgent.id,
      recent.id,
      old.id,
      later.id,
    ])
  })

  it('breaks exact ties by id so the order is stable', () => {
    const first = card({ id: 's_9', createdAt: 7 })
    const second = card({ id: 's_10', createdAt: 7 })
    expect([first, second].sort(compareCards).map((x) => x.id)).toEqual(['s_10', 's_9'])
  })

  it('gives cards of an unknown agent their own lane instead of dropping them', () => {
    const orphan = card({ agent: 'gordon' })
    const board = groupIntoCells([orphan], [agent('bob')])
    expect(board.lanes).toEqual([null, 'bob', 'gordon'])
    expect(cardsIn(board, { stage: 'idea', agent: 'gordon' })).toEqual([orphan])
  })

  it('keeps an agent named "unassigned" apart from the Unassigned lane', () => {
    const assigned = card({ agent: 'unassigned' })
    const free = card()
    const board = groupIntoCells([assigned, free], [agent('unassigned')])
    expect(cellKey('idea', null)).not.toBe(cellKey('idea', 'unassigned'))
    expect(cardsIn(board, { stage: 'idea', agent: null })).toEqual([free])
    expect(cardsIn(board, { stage: 'idea', agent: 'unassigned' })).toEqual([assigned])
  })

  it('shows only the lanes a filter chose, in board order, with their cards and counts', () => {
    const free = card()
    const bobs = card({ agent: 'bob' })
    const gordons = card({ agent: 'gordon' })
    const board = groupIntoCells(
      [free, bobs, gordons],
      [agent('bob'), agent('alice')],
      ['gordon', null],
    )
    expect(board.lanes).toEqual([null, 'gordon'])
    expect(board.total).toBe(2)
    expect(cardsIn(board, { stage: 'idea', agent: 'bob' })).toEqual([])
    expect(board.stageCounts.idea).toBe(2)
  })

  it('groups 10,000 cards quickly', () => {
    const agents = [agent('bob'), agent('alice'), agent('gordon')]
    const names = [null, 'bob', 'alice', 'gordon']
    const stages = ['idea', 'software', 'marketing'] as const
    const specs = Array.from({ length: 10_000 }, (_, i) =>
      card({ agent: names[i % 4] ?? null, stage: stages[i % 3], priority: i % 5 }),
    )
    const started = performance.now()
    const board = groupIntoCells(specs, agents)
    expect(performance.now() - started).toBeLessThan(200)
    expect(board.total).toBe(10_000)
  })
})

describe('a collapsed cell', () => {
  it('shows three in Unassigned, a lane’s running cards, and the latest of what is finished', () => {
    const running = [
      card({ status: 'running' }),
      card({ status: 'running' }),
      card({ status: 'running' }),
    ]
    expect(collapsedLimit('idea', null, [])).toBe(3)
    expect(collapsedLimit('software', 'bob', running)).toBe(3)
    expect(collapsedLimit('software', 'bob', [])).toBe(2)
    expect(collapsedLimit('marketing', 'bob', running)).toBe(1)
  })

  it('shows more of what matched while the board is filtered', () => {
    expect(collapsedLimit('marketing', 'bob', [], true)).toBe(5)
    expect(collapsedLimit('idea', null, [], true)).toBe(5)
    const many = Array.from({ length: 7 }, () => card({ status: 'running' }))
    expect(collapsedLimit('software', 'bob', many, true)).toBe(7)
  })

  it('lists a lane’s running cards before its queued ones, so they are the ones shown', () => {
    const queued = card({ stage: 'software', agent: 'bob', status: 'queued', priority: 5 })
    const runs = card({ stage: 'software', agent: 'bob', status: 'running' })
    const board = groupIntoCells([queued, runs], [agent('bob')])
    expect(cardsIn(board, { stage: 'software', agent: 'bob' }).map((c) => c.id)).toEqual([
      runs.id,
      queued.id,
    ])
  })

  it('is named by a key that reads back as its place, Unassigned and odd names included', () => {
    for (const place of [
      { stage: 'idea' as const, agent: null },
      { stage: 'software' as const, agent: 'bob:two' },
      { stage: 'marketing' as const, agent: 'unassigned' },
    ]) {
      expect(placeOfCellKey(cellKey(place.stage, place.agent))).toEqual(place)
    }
    expect(placeOfCellKey('nowhere:bob')).toBeNull()
  })
})
