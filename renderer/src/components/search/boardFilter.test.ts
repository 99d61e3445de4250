// The filter bar's rules as a user meets them: words anywhere in a card, facets that narrow, a URL
// that brings the same filter back, and nothing a user can type that breaks it.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { SpecCard } from '../../../../shared/domain'
import { makeAgent, makeCard } from '../../../../shared/testing'
import {
  compileFilter,
  facetOptions,
  filterFromParams,
  filterSpecs,
  fold,
  isFiltering,
  MAX_QUERY,
  NO_FILTER,
  toggleValue,
  withFilterParams,
  type BoardFilter,
} from './boardFilter'

let next = 1
const card = (fields: Partial<SpecCard> = {}): SpecCard => makeCard(next++, fields)
const withText = (text: string): BoardFilter => ({ ...NO_FILTER, text })
const titles = (specs: readonly SpecCard[]) => specs.map((s) => s.title)

const board = [
  card({ title: 'Billing API', tags: ['api', 'money'], source: 'hn' }),
  card({ title: 'Status page', tags: ['ops'], source: 'manual', agent: 'bob', stage: 'software' }),
  card({ title: 'Crème brûlée recipes', tags: [], source: 'roam', status: 'ready' }),
  card({ title: 'Launch post', tags: ['api'], source: 'hn', agent: 'alice', status: 'running' }),
]

describe('the text filter', () => {
  it('shows every card while empty, as the very same list', () => {
    expect(filterSpecs(board, NO_FILTER)).toBe(board)
    expect(filterSpecs(board, withText('   '))).toBe(board)
    expect(isFiltering(withText('  '))).toBe(false)
  })

  it('finds each word anywhere in the title, id, source or tags, ignoring case', () => {
    expect(titles(filterSpecs(board, withText('billing')))).toEqual(['Billing API'])
    expect(titles(filterSpecs(board, withText('API')))).toEqual(['Billing API', 'Launch post'])
    expect(titles(filterSpecs(board, withText('api post')))).toEqual(['Launch post'])
    expect(titles(filterSpecs(board, withText('roam')))).toEqual(['Crème brûlée recipes'])
    expect(titles(filterSpecs(board, withText(board[1]!.id)))).toEqual(['Status page'])
  })

  it('ignores accents both ways', () => {
    expect(titles(filterSpecs(board, withText('creme brulee')))).toEqual(['Crème brûlée recipes'])
    expect(titles(filterSpecs(board, withText('CRÈME')))).toEqual(['Crème brûlée recipes'])
    expect(fold('Éclair')).toBe('eclair')
  })

  it('takes regular-expression characters as plain text', () => {
    const odd = [card({ title: 'Fix a+b (c|d) [e]* $5 ^x \\ .?' }), card({ title: 'abcde' })]
    for (const query of ['a+b', '(c|d)', '[e]*', '$5', '^x', '\\', '.?'])
      expect(titles(filterSpecs(odd, withText(query))), query).toEqual([odd[0]!.title])
    expect(filterSpecs(odd, withText('.*'))).toEqual([])
    expect(filterSpecs(odd, withText('a.c'))).toEqual([])
  })

  it('reads right-to-left text and emoji as typed', () => {
    const specs = [card({ title: 'שלום עולם' }), card({ title: 'Ship it 🚀 now' }), card()]
    expect(titles(filterSpecs(specs, withText('עולם')))).toEqual(['שלום עולם'])
    expect(titles(filterSpecs(specs, withText('🚀')))).toEqual(['Ship it 🚀 now'])
  })
})

describe('the facets', () => {
  const facet = (patch: Partial<BoardFilter>) =>
    titles(filterSpecs(board, { ...NO_FILTER, ...patch }))

  it('show a card that has any chosen value of a facet, and narrow across facets', () => {
    expect(facet({ tag: ['ops', 'money'] })).toEqual(['Billing API', 'Status page'])
    expect(facet({ source: ['hn'] })).toEqual(['Billing API', 'Launch post'])
    expect(facet({ lane: [null] })).toEqual(['Billing API', 'Crème brûlée recipes'])
    expect(facet({ lane: ['alice', 'bob'] })).toEqual(['Status page', 'Launch post'])
    expect(facet({ status: ['running', 'ready'] })).toEqual(['Crème brûlée recipes', 'Launch post'])
    expect(facet({ source: ['hn'], lane: [null] })).toEqual(['Billing API'])
    expect(facet({ source: ['hn'], text: 'launch' })).toEqual(['Launch post'])
  })

  it('toggle a value on and off', () => {
    const once = toggleValue(NO_FILTER, 'tag', 'api')
    expect(once.tag).toEqual(['api'])
    expect(toggleValue(once, 'tag', 'api').tag).toEqual([])
    expect(toggleValue(NO_FILTER, 'lane', null).lane).toEqual([null])
  })

  it('count each value against the rest of the filter, keeping every value listed', () => {
    const filter: BoardFilter = { ...NO_FILTER, source: ['hn'], tag: ['api'] }
    const tags = facetOptions('tag', board, [], filter)
    expect(tags.map((o) => [o.label, o.count, o.chosen])).toEqual([
      ['api', 2, true],
      ['money', 1, false],
      ['ops', 0, false],
    ])
    const lanes = facetOptions('lane', board, [makeAgent('bob'), makeAgent('gordon')], NO_FILTER)
    expect(lanes.map((o) => [o.label, o.count])).toEqual([
      ['Unassigned', 2],
      ['bob', 1],
      ['gordon', 0],
      ['alice', 1],
    ])
    const statuses = facetOptions('status', board, [], NO_FILTER).map((o) => o.value)
    expect(statuses).toEqual(['new', 'ready', 'running'])
  })

  it('keep a chosen value listed though no card has it any more', () => {
    const options = facetOptions('tag', board, [], { ...NO_FILTER, tag: ['gone'] })
    expect(options.find((o) => o.value === 'gone')).toMatchObject({ count: 0, chosen: true })
  })

  it('filter and count 5,000 cards quickly', () => {
    const many = Array.from({ length: 5_000 }, (_, i) =>
      card({ title: `Spec ${i}: make thing ${i} better`, tags: [`t${i % 7}`] }),
    )
    const started = performance.now()
    for (const text of ['s', 'sp', 'spe', 'spec 4', 'spec 49', 'thing 4999'])
      filterSpecs(many, { ...NO_FILTER, text, tag: ['t1', 't3'] })
    facetOptions('tag', many, [], withText('thing'))
    expect(performance.now() - started).toBeLessThan(1000)
  })
})

describe('the filter in the URL', () => {
  it('is written as readable parameters and read back', () => {
    const filter: BoardFilter = {
      text: 'billing api',
      tag: ['api', 'c&d=e'],
      source: ['hn'],
      lane: ['bob', null],
      status: ['running'],
    }
    const search = withFilterParams('', filter)
    expect(search).toBe(
      '?q=billing+api&tag=api&tag=c%26d%3De&source=hn&lane=bob&lane=-unassigned&status=running',
    )
    expect(filterFromParams(search)).toEqual(filter)
  })

  it('keeps parameters that are not its own, and leaves no "?" when empty', () => {
    expect(withFilterParams('?view=x&q=old', withText('new'))).toBe('?view=x&q=new')
    expect(withFilterParams('?q=old&tag=a', NO_FILTER)).toBe('')
  })

  it('leaves out what it does not know, never failing', () => {
    const filter = filterFromParams(
      `?status=running&status=exploded&lane=&tag=%20&q=${'x'.repeat(MAX_QUERY + 50)}&tag=a&tag=a`,
    )
    expect(filter.status).toEqual(['running'])
    expect(filter.lane).toEqual([])
    expect(filter.tag).toEqual(['a'])
    expect(filter.text).toHaveLength(MAX_QUERY)
    expect(filterFromParams('?%E0%A4%A=broken&q=%zz')).toEqual({ ...NO_FILTER, text: '%zz' })
  })

  it('reads back any filter a user can make, whatever its text', () => {
    const value = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
    const clean = (s: string) => s.trim()
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: MAX_QUERY }),
        fc.uniqueArray(value.map(clean).filter(Boolean), { maxLength: 5 }),
        fc.uniqueArray(fc.oneof(fc.constant(null), fc.stringMatching(/^[a-z][a-z0-9_-]{0,31}$/)), {
          maxLength: 4,
        }),
        (text, tags, lane) => {
          const filter: BoardFilter = { ...NO_FILTER, text, tag: tags, lane }
          const back = filterFromParams(withFilterParams('?other=1', filter))
          expect(back).toEqual({ ...filter, text: text.trim() === '' ? '' : text })
        },
      ),
    )
  })
})

describe('hostile text', () => {
  const anyText = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.string({ unit: 'grapheme', maxLength: 60 }),
    fc.constantFrom('.*', '(', '[', '\\', '$&', '\u202e', '\u0000', '🏳️‍🌈', 'İ', 'ß', 'ﬁ'),
  )

  it('never throws and only ever hides cards, for any text typed over any cards', () => {
    fc.assert(
      fc.property(anyText, fc.array(anyText, { maxLength: 8 }), (text, names) => {
        const specs = names.map((title) => card({ title, tags: [title.slice(0, 5)] }))
        const shown = filterSpecs(specs, withText(text))
        expect(shown.every((spec) => specs.includes(spec))).toBe(true)
      }),
    )
  })

  it('always shows a card whose title holds what was typed', () => {
    fc.assert(
      fc.property(anyText, anyText, anyText, (before, typed, after) => {
        const spec = card({ title: `${before}${typed}${after}` })
        if (typed.length > MAX_QUERY) return
        expect(compileFilter(withText(typed))(spec)).toBe(true)
      }),
    )
  })

  it('copes with a huge paste quickly', () => {
    const huge = 'a'.repeat(1_000_000)
    const started = performance.now()
    expect(filterSpecs(board, withText(huge))).toEqual([])
    expect(filterFromParams(`?q=${huge}`).text).toHaveLength(MAX_QUERY)
    expect(performance.now() - started).toBeLessThan(1000)
  })
})
