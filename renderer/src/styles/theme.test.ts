/// <reference types="vite/client" />
// Every text colour the board uses, on every background it is used on, reads at WCAG AA (4.5:1)
// in both schemes, as theme.css defines them: a colour change that makes small text unreadable
// fails here, naming the pair.
import { describe, expect, it } from 'vitest'
import themeCss from './theme.css?raw'
import { resolveColor, themeTokens, tokenContrast, type Scheme } from './wcag'

const AA = 4.5

/** The surfaces text sits on, opaque; translucent tints are given over the surface they tint. */
const SURFACES = ['--bg', '--surface', '--surface-2', '--surface-raised', '--card-bg', '--cell-bg']

/** Text colour → the backgrounds it is drawn on (each a stack, bottom first). */
const PAIRS: [text: string, backgrounds: string[][]][] = [
  ['--text', [...SURFACES, '--surface-3'].map((s) => [s])],
  // Muted labels: lane capacity, waiting notes, keys, facet buttons; on a chip's fill too.
  ['--text-muted', [...SURFACES, '--surface-3'].map((s) => [s])],
  // Small counts and ages: column and lane counts, a card's age, "+2", meter labels, empty cells.
  ['--text-faint', SURFACES.map((s) => [s])],
  // Links and the lane's runner badge, its avatar, a toast's action, a scroll strip.
  ['--accent', [...SURFACES.map((s) => [s]), ...SURFACES.map((s) => [s, '--accent-soft'])]],
  ['--accent-text', [['--accent'], ['--accent-hover']]],
  // A failed run's last line, refusals and errors (on their tint).
  ['--danger', [...SURFACES.map((s) => [s]), ...SURFACES.map((s) => [s, '--danger-soft'])]],
  // A destructive button's label (Remove lane, Discard).
  ['--danger-text', [['--danger']]],
  ['--success', [['--surface'], ['--card-bg'], ['--surface-raised']]],
  ['--warning', [['--surface'], ['--card-bg'], ['--bg']]],
]

const tokens = themeTokens(themeCss)

describe.each<Scheme>(['light', 'dark'])('the %s theme', (scheme) => {
  it.each(PAIRS)('%s reads at 4.5:1 or more on each of its backgrounds', (text, backgrounds) => {
    const below = backgrounds
      .map((stack) => ({
        on: stack.join(' + '),
        ratio: tokenContrast(tokens[scheme], text, stack),
      }))
      .filter(({ ratio }) => ratio < AA)
      .map(({ on, ratio }) => `${on}: ${ratio.toFixed(2)}`)
    expect(below).toEqual([])
  })
})

describe('reading theme.css', () => {
  it('finds both schemes and tells them apart', () => {
    expect(resolveColor('var(--text)', tokens.light)).toMatchObject({ r: 0x1b, g: 0x1b, b: 0x20 })
    expect(resolveColor('var(--text)', tokens.dark)).toMatchObject({ r: 0xe7, g: 0xe7, b: 0xec })
  })

  it('mixes colours as the browser does', () => {
    const mixed = resolveColor('color-mix(in srgb, #ffffff 60%, #000000)', tokens.light)
    expect(mixed.r).toBeCloseTo(153, 0)
    expect(resolveColor('var(--cell-bg)', tokens.dark)).toMatchObject({ r: 0x13, a: 1 })
  })

  it('measures contrast as WCAG defines it', () => {
    const white = '--accent-text'
    // White on white is 1:1, and black text would be 21:1; ours sits between.
    expect(tokenContrast(tokens.light, white, [white])).toBeCloseTo(1, 5)
    expect(tokenContrast(tokens.light, '--text', ['--surface'])).toBeGreaterThan(15)
  })
})
