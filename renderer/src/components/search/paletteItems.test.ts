// What the palette lists: the actions, lanes and recent specs before anything is typed; then what
// fits best first, so Enter takes it.
import { describe, expect, it } from 'vitest'
import type { SpecCard } from '../../../../shared/domain'
import { makeAgent, makeCard } from '../../../../shared/testing'
import {
  flatOptions,
  laneHoldEntries,
  paletteGroups,
  type PaletteEntry,
  type PaletteSources,
} from './paletteItems'

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

  it('offers to pause a lane that takes runs and to resume a held one, never both', () => {
    const now = new Date(2025, 5, 2, 12, 0).getTime()
    const entries = laneHoldEntries(
      [
        makeAgent('bob'),
        makeAgent('alice', { pauseReason: 'paused by hand', pausedUntil: null }),
        makeAgent('gordon', {
          pauseReason: 'quota_exhausted: limit',
          pausedUntil: new Date(2025, 5, 2, 18, 0).getTime(),
        }),
        // A hold whose time has passed is over: the lane takes runs again.
        makeAgent('carol', { pauseReason: 'paused by hand', pausedUntil: now - 1 }),
      ],
      now,
    )
    expect(entries.map((e) => [e.label, e.hint])).toEqual([
      ['Pause bob', 'Until you resume it'],
      ['Resume alice', 'Paused until resumed'],
      ['Resume gordon', 'Paused until 18:00'],
      ['Pause carol', 'Until you resume it'],
    ])
    expect(entries[0]!.target).toEqual({ kind: 'action', action: 'hold:bob' })
  })

  it('finds a lane’s hold by typing, and lists none before anything is typed', () => {
    const now = Date.now()
    const withHolds: PaletteSources = {
      ...sources,
      laneActions: laneHoldEntries(
        [makeAgent('bob'), makeAgent('alice', { pauseReason: 'paused by hand' })],
        now,
      ),
    }
    const shown = (query: string) =>
      flatOptions(paletteGroups(query, withHolds)).map((o) => o.label)
    expect(shown('pause bob')[0]).toBe('Pause bob')
    expect(shown('pau bob')[0]).toBe('Pause bob')
    expect(shown('resume alice')[0]).toBe('Resume alice')
    expect(shown('resume bob')).not.toContain('Resume bob')
    expect(shown('')).not.toContain('Pause bob')
  })
})
