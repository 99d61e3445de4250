// What the palette lists: the actions, lanes and recent specs before anything is typed; then what
// fits best first, so Enter takes it.
import { describe, expect, it } from 'vitest'
import type { SpecCard } from '../../../../shared/domain'
import { makeCard } from '../../../../shared/testing'
import { flatOptions, paletteGroups, type PaletteEntry, type PaletteSources } from './paletteItems'

const spec = (n: number, title: string, updatedAt = n): PaletteEntry => {
  const card: SpecCard = makeCard(n, { title, updatedAt })
  return { key: `spec-${card.id}`, label: title, hint: '', target: { kind: 'spec', spec: card } }
}
const action = (label: string, keywords = ''): PaletteEntry => ({
  key: `action-${label}`,
  label,
  hint: '',
  keywords,
  target: { kind: 'action', action: label },
})
const sources: PaletteSources = {
  specs: [
    spec(1, 'New onboarding flow', 5),
    spec(2, 'Saturation alerts', 9),
    spec(3, 'Billing API', 1),
    ...Array.from({ length: 60 }, (_, i) => spec(10 + i, `Spec ${i}`, 0)),
  ],
  lanes: [
    { key: 'lane-unassigned', label: 'Unassigned', hint: '', target: { kind: 'lane', lane: null } },
    { key: 'lane-bob', label: 'bob', hint: '', target: { kind: 'lane', lane: 'bob' } },
  ],
  actions: [action('New spec'), action('Saturation view', 'utilization quota')],
  filters: [
    {
      key: 'filter-tag-api',
      label: 'Tag: api',
      hint: '',
      target: { kind: 'filter', facet: 'tag', value: 'api' },
    },
  ],
}
const labels = (query: string) => flatOptions(paletteGroups(query, sources)).map((o) => o.label)

describe('the command palette’s list', () => {
  it('offers the actions, the lanes and the specs changed last before anything is typed', () => {
    const groups = paletteGroups('', sources)
    expect(groups.map((g) => g.title)).toEqual(['Actions', 'Lanes', 'Recent specs'])
    expect(groups[2]!.options.map((o) => o.label).slice(0, 3)).toEqual([
      'Saturation alerts',
      'New onboarding flow',
      'Billing API',
    ])
  })

  it('puts an action before a spec that matches as well', () => {
    expect(labels('new')[0]).toBe('New spec')
    expect(labels('saturation')[0]).toBe('Saturation view')
    expect(labels('bill')[0]).toBe('Billing API')
    expect(labels('bob')[0]).toBe('bob')
  })

  it('finds an action by a word it does not show', () => {
    expect(labels('utiliz')).toEqual(['Saturation view'])
  })

  it('lists at most thirty specs', () => {
    const groups = paletteGroups('spec', sources)
    expect(groups.find((g) => g.title === 'Specs')!.options).toHaveLength(30)
  })

  it('lists nothing for a query nothing fits', () => {
    expect(paletteGroups('zzzzqqq', sources)).toEqual([])
  })
})
