import { describe, expect, it } from 'vitest'
import { makeCard } from '../../../../shared/testing'
import { addTags, boardTags, tagSuggestions } from './tags'

describe('tag chips', () => {
  it('add what is typed, split at commas, once each whatever the case', () => {
    expect(addTags([], 'cli')).toEqual({ tags: ['cli'], problem: null })
    expect(addTags(['cli'], ' onboarding ,  CLI, , billing  page ')).toEqual({
      tags: ['cli', 'onboarding', 'billing page'],
      problem: null,
    })
    expect(addTags(['cli'], '   ')).toEqual({ tags: ['cli'], problem: null })
  })

  it('leave out a tag the engine would refuse, and say why', () => {
    const long = 'x'.repeat(41)
    expect(addTags(['cli'], `ok, ${long}`)).toEqual({
      tags: ['cli', 'ok'],
      problem: `A tag is at most 40 characters; “${'x'.repeat(20)}…” is 41`,
    })
    const twenty = Array.from({ length: 20 }, (_, i) => `t${i}`)
    expect(addTags(twenty, 'one more').problem).toBe('At most 20 tags on a spec')
  })

  it('suggest the board’s tags as they are typed, most used first, chosen ones left out', () => {
    const known = boardTags([
      makeCard(1, { tags: ['onboarding', 'cli'] }),
      makeCard(2, { tags: ['cli', 'billing'] }),
      makeCard(3, { tags: ['cli', 'Écran', 'online'] }),
    ])
    expect(known).toEqual(['cli', 'billing', 'Écran', 'onboarding', 'online'])
    expect(tagSuggestions(known, [], 'on')).toEqual(['onboarding', 'online'])
    expect(tagSuggestions(known, ['online'], 'on')).toEqual(['onboarding'])
    expect(tagSuggestions(known, [], 'ecr')).toEqual(['Écran'])
    // A word inside a tag matches too, after the tags that start with it.
    expect(tagSuggestions(known, [], 'li')).toEqual(['cli', 'billing', 'online'])
    expect(tagSuggestions(known, [], 'cli, bil')).toEqual(['billing'])
    expect(tagSuggestions(known, ['CLI'], '')).toEqual(['billing', 'Écran', 'onboarding', 'online'])
    expect(tagSuggestions(known, [], 'zzz')).toEqual([])
  })
})
