import { describe, expect, it } from 'vitest'
import type { SpecId } from '../../../../shared/domain'
import { makeCard } from '../../../../shared/testing'
import { dependencyChoices, dependencyState, refusalInWords } from './dependencies'

const board = [
  makeCard(1, { title: 'Billing API' }),
  makeCard(2, { title: 'Onboarding emails' }),
  makeCard(3, { title: 'API docs' }),
  makeCard(4, { title: 'Café menu API' }),
  makeCard(5, { title: 'Export to CSV' }),
]
const titles = (specs: { title: string }[]) => specs.map((s) => s.title)

describe('the dependency picker', () => {
  it('offers the specs whose titles hold every word typed, starts of titles first', () => {
    expect(titles(dependencyChoices(board, new Set(), 'api'))).toEqual([
      'API docs',
      'Billing API',
      'Café menu API',
    ])
    expect(titles(dependencyChoices(board, new Set(), 'cafe api'))).toEqual(['Café menu API'])
    expect(titles(dependencyChoices(board, new Set(), '  '))).toHaveLength(5)
    expect(dependencyChoices(board, new Set(), 'nothing like it')).toEqual([])
  })

  it('leaves out the spec itself and those already chosen, and offers a few at a time', () => {
    const exclude = new Set<SpecId>(['s_1', 's_3'])
    expect(titles(dependencyChoices(board, exclude, 'api'))).toEqual(['Café menu API'])
    expect(dependencyChoices(board, new Set(), '', 2)).toHaveLength(2)
  })

  it('says what state each neighbour is in', () => {
    expect(dependencyState(makeCard(1, { status: 'queued' }), true)).toBe('shipped')
    expect(dependencyState(makeCard(1, { status: 'running', agent: 'bob' }), false)).toBe(
      'running on bob',
    )
    expect(dependencyState(makeCard(1, { status: 'queued', waitingOn: ['s_2'] }), false)).toBe(
      'waiting',
    )
    expect(dependencyState(makeCard(1, { status: 'queued' }), false)).toBe('queued')
    expect(dependencyState(makeCard(1, { status: 'review' }), false)).toBe('in review')
    expect(dependencyState(undefined, false)).toBe('no longer on the board')
  })

  it('puts the engine’s refusals in titles', () => {
    const titleOf = (id: SpecId) => ({ s_1: 'Billing API', s_3: 'API docs' })[id as 's_1']
    expect(
      refusalInWords(
        'spec/edit: s_3 cannot depend on s_1: that would be a cycle (s_3 → s_1 → s_3)',
        titleOf,
      ),
    ).toBe('“API docs” cannot wait for “Billing API”: “Billing API” already waits for it.')
    expect(
      refusalInWords(
        's_3 cannot depend on s_1: that would be a cycle (s_3 → s_1 → s_4 → s_3)',
        titleOf,
      ),
    ).toBe(
      '“API docs” cannot wait for “Billing API”: “Billing API” already waits for it, through a spec that is gone.',
    )
    expect(refusalInWords('s_3 cannot depend on s_9: no such spec', titleOf)).toBe(
      '“API docs” cannot depend on a spec that is gone',
    )
    expect(refusalInWords('no spec with id "s_9" to depend on', titleOf)).toBe(
      'A spec that is gone is not on the board',
    )
  })
})
