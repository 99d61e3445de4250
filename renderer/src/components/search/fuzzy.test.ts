// The palette's matching: a word typed finds the names holding it, or whose words start with its
// pieces, never letters strewn inside words; the best fit first, and highlights that land on
// whole characters whatever the script.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzzyMatch, highlightRuns, prepare, queryPoints } from './fuzzy'

const match = (query: string, name: string) => fuzzyMatch(queryPoints(query), prepare(name))
const highlighted = (query: string, name: string) => {
  const found = match(query, name)
  return found
    ? highlightRuns(prepare(name), found.matched)
        .filter((run) => run.hit)
        .map((run) => run.text)
    : null
}

describe('fuzzy matching', () => {
  it('finds a word or word starts, ignoring case, accents and spaces in the query', () => {
    expect(match('newsp', 'New spec')).not.toBeNull()
    expect(match('NEW SPEC', 'New spec')).not.toBeNull()
    expect(match('creme', 'Crème brûlée')).not.toBeNull()
    expect(match('spcn', 'New spec')).toBeNull()
    expect(match('x', '')).toBeNull()
    expect(match('', 'anything')).toEqual({ score: 0, matched: [] })
  })

  it('ranks a whole word before scattered letters, and an earlier one before a later one', () => {
    const score = (q: string, name: string) => match(q, name)?.score ?? -Infinity
    expect(score('sat', 'Saturation view')).toBeGreaterThan(score('sat', 'Start a test'))
    expect(score('api', 'API keys')).toBeGreaterThan(score('api', 'Rapid prototyping'))
    expect(score('bill', 'Billing')).toBeGreaterThan(score('bill', 'Rebill customers'))
    expect(score('billing', 'Billing')).toBeGreaterThan(score('billing', 'Billing API'))
  })

  it('never matches letters strewn inside words, only a word or the starts of words', () => {
    expect(match('pause', 'Sample workspace with seed data')).toBeNull()
    expect(match('pause', 'Spare houses')).toBeNull()
    expect(match('pause', 'Pause bob')).not.toBeNull()
    expect(match('pau bob', 'Pause bob')).not.toBeNull()
    expect(highlighted('pau bob', 'Pause bob')).toEqual(['Pau', 'bob'])
    expect(match('bob', 'Build a bot for billing')).toBeNull()
    expect(match('bob', 'Ask bob to review')).not.toBeNull()
    expect(match('bai', 'Build a bot for billing')).toBeNull()
    expect(match('nwspc', 'New spec')).toBeNull()
    expect(match('satvw', 'Saturation view')).toBeNull()
    // The starts of the name's words one after another: initials, or longer pieces.
    expect(match('mttb', 'make the thing better')).not.toBeNull()
    expect(match('mtb', 'make the thing better')).toBeNull()
    expect(highlighted('bilpag', 'Billing page redesign')).toEqual(['Bil', 'pag'])
    expect(highlighted('satv', 'Saturation view')).toEqual(['Sat', 'v'])
    // The longest pieces first; a shorter one, or a later word, when the rest needs it.
    expect(highlighted('newo', 'New ordering')).toEqual(['New', 'o'])
    expect(highlighted('settest', 'Set settings test')).toEqual(['set', 'test'])
  })

  it('takes each word typed in order, the next ones where a word starts', () => {
    expect(match('pau bob', 'Pause kebob')).toBeNull()
    expect(match('bob pau', 'Pause bob')).toBeNull()
    expect(highlighted('tag ops', 'Tag: ops')).toEqual(['Tag', 'ops'])
    expect(highlighted('lane bp', 'Lane: bob paused')).toEqual(['Lane', 'b', 'p'])
  })

  it('ranks a run at a word’s start, then initials, then a run inside a word, then the rest', () => {
    const score = (q: string, name: string) => match(q, name)?.score ?? -Infinity
    const order = (q: string, names: string[]) =>
      [...names].sort((a, b) => score(q, b) - score(q, a))
    expect(order('lp', ['Help page', 'Launch post', 'Lp meter'])).toEqual([
      'Lp meter',
      'Launch post',
      'Help page',
    ])
    expect(order('ns', ['Onsite', 'Insert new', 'New spec'])).toEqual([
      'New spec',
      'Onsite',
      'Insert new',
    ])
  })

  it('matches the words typed, each where a word starts, however far apart', () => {
    const score = (q: string, name: string) => match(q, name)?.score ?? -Infinity
    expect(match('make better', 'Spec 1: make thing better')).not.toBeNull()
    expect(highlighted('new spec', 'New onboarding spec')).toEqual(['New', 'spec'])
    expect(score('new spec', 'New spec')).toBeGreaterThan(score('new spec', 'New onboarding spec'))
  })

  it('highlights what matched, at word starts when it can', () => {
    expect(highlighted('spec', 'New spec')).toEqual(['spec'])
    expect(highlighted('ns', 'New spec')).toEqual(['N', 's'])
    expect(highlighted('lp', 'Launch post')).toEqual(['L', 'p'])
  })

  it('keeps emoji, flags and accented letters whole in a highlight', () => {
    expect(highlighted('🏳️‍🌈', 'Pride 🏳️‍🌈 banner')).toEqual(['🏳️‍🌈'])
    expect(highlighted('e', 'é')).toEqual(['é'])
    expect(highlighted('עו', 'שלום עולם')).toEqual(['עו'])
  })

  it('takes a later word start when the rest still matches, and nothing strewn inside words', () => {
    expect(highlighted('tx', 'otx t')).toEqual(['tx'])
    expect(highlighted('ts', 'otas tsar')).toEqual(['ts'])
    expect(match('tv', 'at view')).toBeNull()
    expect(match('ty', 'atxy t')).toBeNull()
  })

  it('never throws, and its highlights are the name’s own characters in order', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.constantFrom('.*', '(', '\\', '\u202e', '🏳️‍🌈', 'İ', 'ß', 'ﬁ', '\u0301'),
    )
    fc.assert(
      fc.property(text, text, (query, name) => {
        const prepared = prepare(name)
        const found = fuzzyMatch(queryPoints(query), prepared)
        if (!found) return
        found.matched.forEach((index, n) => {
          expect(index).toBeGreaterThanOrEqual(0)
          expect(index).toBeLessThan(prepared.graphemes.length)
          if (n > 0) expect(index).toBeGreaterThan(found.matched[n - 1]!)
        })
        const runs = highlightRuns(prepared, found.matched)
        expect(runs.map((r) => r.text).join('')).toBe(prepared.graphemes.join(''))
      }),
    )
  })

  it('always finds a name by any piece of it', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        (before, piece, after) => {
          expect(match(piece, `${before}${piece}${after}`)).not.toBeNull()
        },
      ),
    )
  })

  it('matches three thousand titles per keystroke quickly', () => {
    const names = Array.from({ length: 3_000 }, (_, i) => `Spec ${i}: make thing ${i} better`)
    const started = performance.now()
    const prepared = names.map((name) => prepare(name))
    for (const query of ['m', 'ma', 'mak', 'make t', 'mtb', 'thing 299']) {
      const points = queryPoints(query)
      for (const name of prepared) fuzzyMatch(points, name)
    }
    expect(performance.now() - started).toBeLessThan(1500)
  })
})
