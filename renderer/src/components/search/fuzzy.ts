// Matching for the command palette: what is typed as one run in a name, or word by word, each
// word typed a run or the starts of the name's next words ("pau bob": "Pause bob", "lp": "Launch
// post"); never letters strewn inside words. Highlights are whole user-seen characters
// (graphemes), so one never splits an emoji or a letter from its accent.
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

/** The query folded, its words one space apart ("  New   spec " is "new spec"). */
export function queryPoints(query: string): string {
  return fold(query.slice(0, MAX_PREPARED)).trim().replace(/\s+/gu, ' ')
}

/**
 * How a match ranks, best first: the query as one run at a word's start ("spec" in "New spec"),
 * word starts ("lp" in "Launch post", "pau bob" in "Pause bob"), one run inside a word ("pi" in
 * "Rapid").
 */
const TIER = { wordStart: 2000, initials: 1500, inside: 1000, words: 500 } as const

/**
 * Where `query` (from `queryPoints`) matches `target`, or null. The rule: what is typed is found
 * in the name as one run (as typed, or its letters without the spaces: "new spec", "newspec"),
 * anywhere; or word by word, in order, each word typed being either a run (the first anywhere,
 * each next where a word of the name starts) or the starts of the name's next words one after
 * another ("lp": Launch post, "bilpag": Billing page). Letters strewn inside words ("pause" in
 * "Spare houses") are no match at all.
 */
export function fuzzyMatch(query: string, target: Prepared): FuzzyMatch | null {
  const { folded, owner } = target
  if (query.length === 0) return { score: 0, matched: [] }
  const letters = query.replaceAll(' ', '')
  if (letters.length > folded.length) return null
  for (const run of query === letters ? [query] : [query, letters]) {
    const at = contiguousAt(run, target)
    if (at < 0) continue
    const whole = run.length === folded.length ? 400 : 0
    const tier = target.wordStart[at] ? TIER.wordStart : TIER.inside
    return {
      score: tier + whole - Math.min(at, 100),
      matched: graphemesOf(owner, at, at + run.length),
    }
  }
  const taken = wordsInOrder(query.split(' '), target)
  if (!taken) return null
  // Typed words whose first runs inside a word ("ause bob") rank below word starts.
  const tier = opensWord(taken[0]!, target) ? TIER.initials : TIER.words
  return {
    score: tier + withinTier(taken, target),
    matched: unique(taken.flatMap((i) => graphemesOf(owner, i, i + 1))),
  }
}

/** Within a tier: word starts and runs count for, gaps and a late start against; bounded. */
function withinTier(taken: readonly number[], { wordStart }: Prepared): number {
  let score = 0
  taken.forEach((i, n) => {
    if (wordStart[i]) score += 30
    const previous = n > 0 ? taken[n - 1]! : -1
    if (n > 0 && i === previous + 1) score += 20
    else if (n > 0) score -= Math.min(i - previous - 1, 20)
  })
  // A long query's letters must not lift it over a better kind of match.
  return Math.max(-400, Math.min(score - Math.min(taken[0]!, 50), 400))
}

/** Whether folded code unit `i` opens a word: a word's start, or right after a space. */
function opensWord(i: number, { folded, wordStart }: Prepared): boolean {
  return wordStart[i]! || i === 0 || /\s/u.test(folded[i - 1]!)
}

/** Where the code point at folded index `i` ends. */
function after(folded: string, i: number): number {
  return i + String.fromCodePoint(folded.codePointAt(i)!).length
}

/** The first contiguous match at a word's start, else the first anywhere, else -1. */
function contiguousAt(query: string, { folded, wordStart }: Prepared): number {
  const first = folded.indexOf(query)
  for (let at = first; at >= 0; at = folded.indexOf(query, at + 1)) if (wordStart[at]) return at
  return first
}

/**
 * The words typed, in order, each a run (after the first, opening a word) or the starts of
 * words one after another; the folded code units taken, or null when one is not there.
 */
function wordsInOrder(words: readonly string[], target: Prepared): number[] | null {
  const taken: number[] = []
  let from = 0
  for (const [n, word] of words.entries()) {
    let at = target.folded.indexOf(word, from)
    while (n > 0 && at >= 0 && !opensWord(at, target)) at = target.folded.indexOf(word, at + 1)
    const starts = at >= 0 ? null : wordStartsFrom(word, target, from)
    if (at < 0 && !starts) return null
    const units: number[] = []
    if (starts) units.push(...starts)
    else for (let i = at; i < at + word.length; i = after(target.folded, i)) units.push(i)
    taken.push(...units)
    from = after(target.folded, units[units.length - 1]!)
  }
  return taken
}

/** The first word opening at or after `from`. */
function nextWordStart(target: Prepared, from: number): number {
  for (let i = from; i < target.folded.length; i++) if (opensWord(i, target)) return i
  return -1
}

/**
 * `word` cut into pieces that begin consecutive words of the name, the first at or after `from`
 * ("bilpag": "Bil|ling pag|e"); the code units taken, or null. Longest pieces first, and a
 * (letter, word) pair that failed once is not tried again, so a long name stays quick.
 */
function wordStartsFrom(word: string, target: Prepared, from: number): number[] | null {
  const { folded } = target
  const failed = new Set<number>()
  const piecesFrom = (q: number, at: number): number[] | null => {
    if (q === word.length) return []
    if (at < 0 || failed.has(q * (folded.length + 1) + at)) return null
    let length = 0
    while (q + length < word.length && folded[at + length] === word[q + length]) length++
    for (; length > 0; length--) {
      // A piece ends on a whole code point: a surrogate pair is never cut.
      const end = at + length
      if (end < folded.length && (folded.charCodeAt(end) & 0xfc00) === 0xdc00) continue
      const rest = piecesFrom(q + length, nextWordStart(target, end))
      if (rest) return [...range(folded, at, end), ...rest]
    }
    failed.add(q * (folded.length + 1) + at)
    return null
  }
  for (let at = nextWordStart(target, from); at >= 0; at = nextWordStart(target, at + 1)) {
    const found = piecesFrom(0, at)
    if (found) return found
  }
  return null
}

/** The code points from `from` to `to`, by their first code unit. */
function range(folded: string, from: number, to: number): number[] {
  const units: number[] = []
  for (let i = from; i < to; i = after(folded, i)) units.push(i)
  return units
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
