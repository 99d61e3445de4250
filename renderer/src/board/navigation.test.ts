import { describe, it, expect } from 'vitest'
import type { SpecCard } from '../../../shared/domain'
import { makeAgent, makeCard } from '../../../shared/testing'
import { groupIntoCells } from './cells'
import { adjacentPlace, neighborCard } from './navigation'

// Lower ids are newer, so they sort first.
const card = (n: number, fields: Partial<SpecCard>): SpecCard =>
  makeCard(n, { createdAt: 1_000 - n, updatedAt: 0, ...fields })

const agents = [makeAgent('bob'), makeAgent('alice', { runner: 'codex', createdAt: 2 })]
const specs = [
  card(1, {}),
  card(2, {}),
  card(3, { stage: 'marketing' }),
  card(4, { agent: 'alice' }),
  card(5, { agent: 'alice', stage: 'software' }),
]
const board = groupIntoCells(specs, agents)
const byId = (n: number) => specs.find((s) => s.id === `s_${n}`)!

describe('adjacentPlace', () => {
  it('steps through columns and lanes without wrapping', () => {
    expect(adjacentPlace(board, { stage: 'idea', agent: null }, 'right')).toEqual({
      stage: 'software',
      agent: null,
    })
    expect(adjacentPlace(board, { stage: 'idea', agent: null }, 'left')).toBeNull()
    expect(adjacentPlace(board, { stage: 'idea', agent: null }, 'down')).toEqual({
      stage: 'idea',
      agent: 'bob',
    })
    expect(adjacentPlace(board, { stage: 'idea', agent: 'alice' }, 'down')).toBeNull()
    expect(adjacentPlace(board, { stage: 'marketing', agent: 'bob' }, 'right')).toBeNull()
  })
})

describe('neighborCard', () => {
  it('moves within a cell first', () => {
    expect(neighborCard(board, byId(1), 'down')).toBe('s_2')
    expect(neighborCard(board, byId(2), 'up')).toBe('s_1')
  })

  it('skips empty cells and lanes', () => {
    expect(neighborCard(board, byId(1), 'right')).toBe('s_3')
    expect(neighborCard(board, byId(2), 'down')).toBe('s_4')
    expect(neighborCard(board, byId(4), 'up')).toBe('s_2')
    expect(neighborCard(board, byId(4), 'right')).toBe('s_5')
  })

  it('stops at the edge', () => {
    expect(neighborCard(board, byId(1), 'up')).toBeNull()
    expect(neighborCard(board, byId(1), 'left')).toBeNull()
    expect(neighborCard(board, byId(3), 'right')).toBeNull()
  })
})
