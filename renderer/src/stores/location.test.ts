import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { readLayers, writeLayers, type OpenLayers } from './location'

const none: OpenLayers = { spec: null, run: null, tab: null }
const others = (search: string): string[] =>
  search
    .replace(/^\?/, '')
    .split('&')
    .filter((p) => p && !/^(spec|run|tab)(=|$)/.test(p))

const layers = fc.record({
  spec: fc.option(fc.integer({ min: 1, max: 1e9 }).map((n) => `s_${n}` as const)),
  run: fc.option(fc.integer({ min: 1, max: 1e9 }).map((n) => `r_${n}` as const)),
  tab: fc.option(fc.constantFrom('log' as const, 'diff' as const)),
})

describe('the open drawer and run view in the address', () => {
  it('reads what a link names, and nothing from a plain address', () => {
    expect(readLayers('')).toEqual(none)
    expect(readLayers('?spec=s_3')).toEqual({ spec: 's_3', run: null, tab: null })
    expect(readLayers('?q=login&run=r_7&tab=diff&spec=s_3')).toEqual({
      spec: 's_3',
      run: 'r_7',
      tab: 'diff',
    })
  })

  it('ignores what is not an id, a tab without a run, and the first tab', () => {
    expect(readLayers('?spec=<script>&run=r_0')).toEqual(none)
    expect(readLayers('?spec=s_1%00&run=R_1')).toEqual(none)
    expect(readLayers(`?spec=s_${'9'.repeat(40)}`)).toEqual(none)
    expect(readLayers('?tab=diff')).toEqual(none)
    expect(readLayers('?run=r_2&tab=transcript')).toEqual({ spec: null, run: 'r_2', tab: null })
    expect(readLayers('?run=r_2&tab=nope')).toEqual({ spec: null, run: 'r_2', tab: null })
  })

  it('takes the first of repeated params', () => {
    expect(readLayers('?spec=s_1&spec=s_2').spec).toBe('s_1')
  })

  it('writes ours after everything else, which stays exactly as it was', () => {
    expect(writeLayers('?q=a+b&x=%20y', { spec: 's_4', run: null, tab: null })).toBe(
      '?q=a+b&x=%20y&spec=s_4',
    )
    expect(writeLayers('?spec=s_1&q=login&run=r_2&tab=log', none)).toBe('?q=login')
    expect(writeLayers('?spec=s_1', none)).toBe('')
    expect(writeLayers('', { spec: 's_1', run: 'r_2', tab: 'diff' })).toBe(
      '?spec=s_1&run=r_2&tab=diff',
    )
    expect(writeLayers('', { spec: null, run: null, tab: 'diff' })).toBe('')
  })

  it('never throws on a hostile address, and reads back only well-formed ids', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (search) => {
        const read = readLayers(search)
        for (const id of [read.spec, read.run]) if (id) expect(id).toMatch(/^[sr]_[1-9][0-9]*$/)
        expect(() => writeLayers(search, read)).not.toThrow()
      }),
    )
  })

  it('round-trips any layers over any other params, which it leaves alone', () => {
    const foreign = fc.array(
      fc
        .tuple(
          fc.string({ minLength: 1 }).filter((k) => !['spec', 'run', 'tab'].includes(k)),
          fc.string(),
        )
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`),
    )
    fc.assert(
      fc.property(foreign, layers, layers, (params, first, second) => {
        const base = params.length ? `?${params.join('&')}` : ''
        const once = writeLayers(base, first)
        const twice = writeLayers(once, second)
        const expected = { ...second, tab: second.run ? second.tab : null }
        expect(readLayers(twice)).toEqual(expected)
        expect(others(twice)).toEqual(others(base))
      }),
    )
  })
})
