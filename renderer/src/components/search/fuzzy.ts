// Fuzzy matching for the command palette: the query's characters in order anywhere in a name
// ("nwspc" finds "New spec"), a run of them or a word's start scoring higher. Highlights are whole
// user-seen characters (graphemes), so one never splits an emoji or a letter from its accent.
import { fold } from './boardFilter'

export interface Prepared {
  /** The name as the user sees it, one grapheme per entry. */
  graphemes: string[]
  /** The name folded (case, accents), and for each of its code units the grapheme it came from. */
  folded: string
  owner: number[]
  /** Whether each folded code unit starts a word. */
  wordStart: boolean[]
}

export interface FuzzyMatch {
  score: number
  /** Indexes into `graphemes` that matched, increasing. */
  matched: number[]
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' })
const WORD_CHARACTER = /[\p{L}\p{N}]/u
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/
/** Names are matched on this much of their start; a title is at most 200 characters. */
const MAX_PREPARED = 500
const MAX_CACHED = 20_000

const cache = new Map<string, Prepared>()

function isWordCode(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 97 && code <= 122) || (code >= 65 && code <= 90)
}

/** Plain ASCII (most titles): one grapheme per character, folding is lower-casing. */
function prepareAscii(text: string): Prepared {
  const folded = text.toLowerCase()
  const owner: number[] = []
  const wordStart: boolean[] = []
  let previousWord = false
  for (let i = 0; i < folded.length; i++) {
    const word = isWordCode(folded.charCodeAt(i))
    owner.push(i)
    wordStart.push(word && !previousWord)
    previousWord = word
  }
  return { graphemes: text.split(''), folded, owner, wordStart }
}

function prepareAny(text: string): Prepared {
  const graphemes = Array.from(segmenter.segment(text), (s) => s.segment)
  const pieces = graphemes.map(fold)
  const folded = pieces.join('')
  const owner: number[] = []
  const wordStart: boolean[] = []
  let previousWord = false
  pieces.forEach((piece, index) => {
    for (const point of piece) {
      const word = WORD_CHARACTER.test(point)
      for (let unit = 0; unit < point.length; unit++) {
        owner.push(index)
        wordStart.push(unit === 0 && word && !previousWord)
      }
      previousWord = word
    }
  })
  return { graphemes, folded, owner, wordStart }
}

export function prepare(text: string): Prepared {
  const cached = cache.get(text)
  if (cached) return cached
  const head = text.slice(0, MAX_PREPARED)
  const prepared = PRINTABLE_ASCII.test(head) ? prepareAscii(head) : prepareAny(head)
  // Bounded: the palette prepares every title on the board, and titles change.
  if (cache.size >= MAX_CACHED) cache.clear()
  cache.set(text, prepared)
  return prepared
}

/** The query folded, spaces left out ("new spec" and "newspec" are the same). */
export function queryPoints(query: string): string {
  return fold(query.slice(0, MAX_PREPARED)).replace(/\s+/gu, '')
}

/**
 * Where `query` (from `queryPoints`) matches `target`, or null. A contiguous match is preferred
 * (at a word's start best, the earlier the better); otherwise the query's characters in order,
 * each at the next word start that has it when that still lets the rest match.
 */
export function fuzzyMatch(query: string, target: Prepared): FuzzyMatch | null {
  const { folded, owner, wordStart } = target
  if (query.length === 0) return { score: 0, matched: [] }
  if (query.length > folded.length) return null
  const at = contiguousAt(query, target)
  if (at >= 0) {
    const whole = query.length === folded.length ? 400 : 0
    const score = 1000 + whole + (wordStart[at] ? 200 : 0) - Math.min(at, 100)
    return { score, matched: graphemesOf(owner, at, at + query.length) }
  }
  const taken = inOrder(query, target, true) ?? inOrder(query, target, false)
  if (!taken) return null
  let score = 0
  taken.forEach((i, n) => {
    if (wordStart[i]) score += 30
    const previous = n > 0 ? taken[n - 1]! : -1
    if (n > 0 && i === previous + 1) score += 20
    else if (n > 0) score -= Math.min(i - previous - 1, 20)
  })
  const matched = taken.flatMap((i) => graphemesOf(owner, i, i + 1))
  return { score: score - Math.min(taken[0]!, 50), matched: unique(matched) }
}

/** The first contiguous match at a word's start, else the first anywhere, else -1. */
function contiguousAt(query: string, { folded, wordStart }: Prepared): number {
  const first = folded.indexOf(query)
  for (let at = first; at >= 0; at = folded.indexOf(query, at + 1)) if (wordStart[at]) return at
  return first
}

/** Where each of the query's code points is taken, in order; null when they are not all there. */
function inOrder(
  query: string,
  { folded, wordStart }: Prepared,
  wordStarts: boolean,
): number[] | null {
  const taken: number[] = []
  let from = 0
  for (const point of query) {
    let found = folded.indexOf(point, from)
    if (found < 0) return null
    if (wordStarts && !wordStart[found]) {
      for (let i = folded.indexOf(point, found + 1); i >= 0; i = folded.indexOf(point, i + 1)) {
        if (wordStart[i]) {
          found = i
          break
        }
      }
    }
    taken.push(found)
    from = found + point.length
  }
  return taken
}

function graphemesOf(owner: readonly number[], from: number, to: number): number[] {
  return unique(owner.slice(from, to))
}

function unique(sorted: number[]): number[] {
  return sorted.filter((value, index) => index === 0 || value !== sorted[index - 1])
}

/** The name cut into plain and matched runs, for drawing the highlight. */
export function highlightRuns(
  target: Prepared,
  matched: readonly number[],
): { text: string; hit: boolean }[] {
  const hits = new Set(matched)
  const runs: { text: string; hit: boolean }[] = []
  target.graphemes.forEach((grapheme, index) => {
    const hit = hits.has(index)
    const last = runs[runs.length - 1]
    if (last && last.hit === hit) last.text += grapheme
    else runs.push({ text: grapheme, hit })
  })
  return runs
}
