import { describe, expect, it } from 'vitest'
import { makeCard, makeRunBadge } from '../../../../shared/testing'
import { laneRemoval } from './laneRemoval'

const run = (state: 'running' | 'shipped') => makeRunBadge(state)

describe('removing a lane, in numbers', () => {
  it('says where its specs go and that its runs stay', () => {
    const specs = [
      makeCard(1, { agent: 'bob', stage: 'software', status: 'queued' }),
      makeCard(2, { agent: 'bob', stage: 'software', status: 'queued' }),
      makeCard(3, { agent: 'bob', stage: 'marketing', status: 'shipped', run: run('shipped') }),
      makeCard(4, { agent: 'alice', stage: 'software', status: 'queued' }),
    ]
    expect(laneRemoval('bob', specs, 12)).toEqual({
      atWork: [],
      consequences: [
        '2 queued specs go back to Unassigned, for the allocator to give to another lane.',
        '1 other spec on it moves to Unassigned in Marketing.',
        '12 past runs stay in the history.',
        'Its settings and quota windows go; adding a lane with the same name starts afresh.',
      ],
    })
  })

  it('names the runs at work, which must end first', () => {
    const working = makeCard(5, {
      agent: 'bob',
      stage: 'software',
      status: 'running',
      run: run('running'),
    })
    expect(laneRemoval('bob', [working], 1)).toMatchObject({
      atWork: [working],
      consequences: ['1 past run stays in the history.', expect.any(String)],
    })
    expect(laneRemoval('gordon', [working], 0).consequences[0]).toBe('No specs are on it.')
  })
})
