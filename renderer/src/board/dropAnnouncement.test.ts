import { describe, expect, it } from 'vitest'
import { makeCard, makeRunBadge } from '../../../shared/testing'
import { dropAnnouncement, hoverAnnouncement } from './dropAnnouncement'

const card = makeCard(7, { title: 'Billing API', stage: 'idea', agent: null })

describe('what a screen reader hears of a drag', () => {
  it('names the column and lane the card lands in', () => {
    expect(dropAnnouncement(card, { stage: 'software', agent: 'gordon' }, null)).toBe(
      'Dropped “Billing API” in Software · gordon.',
    )
    expect(dropAnnouncement(card, { stage: 'marketing', agent: null }, null)).toBe(
      'Dropped “Billing API” in Marketing · Unassigned.',
    )
  })

  it('says the card stays put where the drop does not move it', () => {
    expect(dropAnnouncement(card, null, null)).toBe(
      'Dropped “Billing API” outside the cells; it stays in Idea · Unassigned.',
    )
    expect(dropAnnouncement(card, { stage: 'idea', agent: null }, null)).toBe(
      'Dropped “Billing API” back where it was, in Idea · Unassigned.',
    )
    expect(
      dropAnnouncement(card, { stage: 'software', agent: 'gordon' }, 'At its limit · 1/1 running'),
    ).toBe(
      'gordon can’t start “Billing API” now: At its limit · 1/1 running. It stays in Idea · Unassigned.',
    )
    const running = makeCard(8, {
      title: 'Docs',
      stage: 'software',
      agent: 'bob',
      run: makeRunBadge('running'),
    })
    expect(dropAnnouncement(running, { stage: 'marketing', agent: 'bob' }, null)).toBe(
      '“Docs” stays in Software · bob while its run is at work.',
    )
  })

  it('names the cell hovered, and why it would refuse', () => {
    expect(hoverAnnouncement({ stage: 'software', agent: 'alice' }, null)).toBe(
      'Over Software · alice.',
    )
    expect(hoverAnnouncement({ stage: 'software', agent: 'gordon' }, 'Disabled')).toBe(
      'Over Software · gordon: can’t start here now, Disabled.',
    )
    expect(hoverAnnouncement(null, null)).toBe('Not over a cell.')
  })
})
