// WCAG 2 contrast of the theme's colour tokens, read from theme.css itself: the custom properties
// of the light `:root` and of the dark scheme's, resolved through var(), color-mix() and alpha.
// Pure (the CSS comes in as text), so a test can hold every text/background pair to 4.5:1.

export type Scheme = 'light' | 'dark'

/** An sRGB colour, channels 0..255, alpha 0..1. */
export interface Rgba {
  r: number
  g: number
  b: number
  a: number
}

type Tokens = Map<string, string>

function declarations(block: string, into: Tokens): Tokens {
  for (const match of block.matchAll(/(--[\w-]+)\s*:\s*([^;]+);/g))
    into.set(match[1]!, match[2]!.replace(/\s+/g, ' ').trim())
  return into
}

/** The text of the `{ … }` block that opens at `from` (the index of its `{`). */
function blockAt(css: string, from: number): string {
  let depth = 0
  for (let i = from; i < css.length; i++) {
    if (css[i] === '{') depth++
    else if (css[i] === '}' && --depth === 0) return css.slice(from + 1, i)
  }
  throw new Error('theme.css: a block is not closed')
}

/** The tokens each scheme sees: dark is light's with the dark block's on top. */
export function themeTokens(css: string): Record<Scheme, Tokens> {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '')
  const dark = text.indexOf('@media (prefers-color-scheme: dark)')
  if (dark < 0) throw new Error('theme.css: no dark scheme')
  const light = declarations(blockAt(text, text.indexOf('{')), new Map())
  const darkBlock = blockAt(text, text.indexOf('{', dark))
  const inner = blockAt(darkBlock, darkBlock.indexOf('{'))
  return { light, dark: declarations(inner, new Map(light)) }
}

function parseHex(hex: string): Rgba {
  const digits = hex.length <= 5 ? [...hex].map((d) => d + d).join('') : hex
  const channel = (i: number) => parseInt(digits.slice(i * 2, i * 2 + 2), 16)
  return {
    r: channel(0),
    g: channel(1),
    b: channel(2),
    a: digits.length === 8 ? channel(3) / 255 : 1,
  }
}

/** `top` painted over an opaque `bottom`. */
export function over(top: Rgba, bottom: Rgba): Rgba {
  const mix = (t: number, b: number) => t * top.a + b * (1 - top.a)
  return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a: 1 }
}

/** Splits "a, b(c, d), e" at its top-level commas. */
function args(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++
    else if (text[i] === ')') depth--
    else if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim())
      start = i + 1
    }
  }
  parts.push(text.slice(start).trim())
  return parts
}

/** A token's colour in a scheme, following var() and color-mix(in srgb, …) as a browser does. */
export function resolveColor(value: string, tokens: Tokens): Rgba {
  const v = value.trim()
  const reference = /^var\((--[\w-]+)\)$/.exec(v)
  if (reference) {
    const next = tokens.get(reference[1]!)
    if (next === undefined) throw new Error(`theme.css: ${reference[1]} is not defined`)
    return resolveColor(next, tokens)
  }
  if (v === 'transparent') return { r: 0, g: 0, b: 0, a: 0 }
  if (v.startsWith('#')) return parseHex(v.slice(1))
  const rgb = /^rgba?\((.*)\)$/.exec(v)
  if (rgb) {
    const [r, g, b, a] = args(rgb[1]!).map(Number)
    return { r: r!, g: g!, b: b!, a: a ?? 1 }
  }
  const mix = /^color-mix\(in srgb, (.*)\)$/.exec(v)
  if (mix) return colorMix(args(mix[1]!), tokens)
  throw new Error(`theme.css: cannot read the colour "${v}"`)
}

function colorMix([first, second]: string[], tokens: Tokens): Rgba {
  const part = (text: string | undefined) => {
    const match = /^(.*?)(?:\s+([\d.]+)%)?$/.exec(text ?? '')!
    return {
      color: resolveColor(match[1]!, tokens),
      weight: match[2] ? Number(match[2]) / 100 : null,
    }
  }
  const a = part(first)
  const b = part(second)
  const p = a.weight ?? (b.weight === null ? 0.5 : 1 - b.weight)
  // Premultiplied, as CSS Color 5 mixes colours with alpha.
  const alpha = a.color.a * p + b.color.a * (1 - p)
  const channel = (key: 'r' | 'g' | 'b') =>
    alpha === 0 ? 0 : (a.color[key] * a.color.a * p + b.color[key] * b.color.a * (1 - p)) / alpha
  return { r: channel('r'), g: channel('g'), b: channel('b'), a: alpha }
}

function luminance({ r, g, b }: Rgba): number {
  const linear = (c: number) => {
    const s = c / 255
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/** WCAG 2's contrast ratio of two opaque colours, 1..21. */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (light! + 0.05) / (dark! + 0.05)
}

/**
 * The contrast of text in token `text` on a background painted as a stack of tokens, bottom
 * first (a translucent badge colour over the card it sits on: ['--card-bg', '--accent-soft']).
 */
export function tokenContrast(tokens: Tokens, text: string, stack: readonly string[]): number {
  let background: Rgba | null = null
  for (const layer of stack) {
    const color = resolveColor(`var(${layer})`, tokens)
    background = background ? over(color, background) : color
  }
  if (!background || background.a < 1) throw new Error(`${stack.join(' + ')} is not opaque`)
  return contrastRatio(over(resolveColor(`var(${text})`, tokens), background), background)
}
