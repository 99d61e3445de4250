// Fuzzy matching for the command palette: the query's characters in order in a name ("nwspc"
// finds "New spec"), a run of them or a word's start scoring higher, letters strewn over many
// words not at all. Highlights are whole
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

/** The query folded, its words one space apart ("  New   spec " is "new spec"). */
export function queryPoints(query: string): string {
  return fold(query.slice(0, MAX_PREPARED)).trim().replace(/\s+/gu, ' ')
}

/**
 * How a match ranks, best first: the query as one run at a word's start ("spec" in "New spec"),
 * its pieces each starting a word ("lp" in "Launch post"), one run inside a word ("pi" in
 * "Rapid"), then letters scattered within a couple of words ("nwspc" in "New spec").
 */
const TIER = { wordStart: 2000, initials: 1500, inside: 1000, scattered: 0 } as const
/** Scattered letters are a guess only this close together: across more words it is noise. */
const SCATTERED_WORDS = 2
/** Initials may pass over this many words between them ("mtb": "make the thing better"). */
const SKIPPED_WORDS = 2

/**
 * Where `query` (from `queryPoints`) matches `target`, or null. One run is best: as typed, or its
 * letters without the spaces ("new spec", "newspec"), at a word's start best, the earlier the
 * better. Otherwise the words typed, each where a word starts, or the letters in order as
 * initials or within a couple of words. Letters strewn over more words than that ("bob" in
 * "build a bot for billing") are no match at all.
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
  let best: FuzzyMatch | null = null
  const consider = (taken: number[] | null, tier: number | null) => {
    if (!taken || tier === null) return
    const score = tier + withinTier(taken, target)
    if (best && best.score >= score) return
    best = { score, matched: unique(taken.flatMap((i) => graphemesOf(owner, i, i + 1))) }
  }
  if (query !== letters) {
    const words = wordsInOrder(query.split(' '), target)
    consider(words, words && (opensWord(words[0]!, target) ? TIER.initials : TIER.scattered + 500))
  }
  const greedy = inOrder(letters, target, false)
  for (const taken of [
    inOrder(letters, target, true),
    greedy,
    greedy && tightened(letters, target, greedy),
  ])
    consider(taken, taken && scatterTier(taken, target))
  return best
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

/**
 * The tier of letters taken apart (indexes into the folded name), or null when they are strewn
 * too wide to mean the name. Each run of them after the first opening a word, passing over few
 * words between: initials ("lp": "Launch post"). Otherwise the letters must lie within a couple
 * of words.
 */
function scatterTier(taken: readonly number[], target: Prepared): number | null {
  const { folded, wordStart } = target
  // The word each folded code unit is in: how many word starts come at or before it.
  const wordOf: number[] = []
  let words = 0
  for (let i = 0; i <= taken[taken.length - 1]!; i++) wordOf.push(wordStart[i] ? ++words : words)
  const starts = taken.filter((i, n) => n === 0 || i !== after(folded, taken[n - 1]!))
  const ends = taken.filter((i, n) => n === taken.length - 1 || taken[n + 1] !== after(folded, i))
  let skipped = 0
  for (let k = 1; k < starts.length; k++) skipped += wordOf[starts[k]!]! - wordOf[ends[k - 1]!]! - 1
  if (starts.slice(1).every((i) => opensWord(i, target)) && skipped <= SKIPPED_WORDS)
    return opensWord(starts[0]!, target) ? TIER.initials : TIER.scattered + 500
  const inWords = taken.filter((i) =>
    WORD_CHARACTER.test(String.fromCodePoint(folded.codePointAt(i)!)),
  )
  return new Set(inWords.map((i) => wordOf[i])).size <= SCATTERED_WORDS ? TIER.scattered : null
}

/** The first contiguous match at a word's start, else the first anywhere, else -1. */
function contiguousAt(query: string, { folded, wordStart }: Prepared): number {
  const first = folded.indexOf(query)
  for (let at = first; at >= 0; at = folded.indexOf(query, at + 1)) if (wordStart[at]) return at
  return first
}

/** The words typed, in order, each whole and (after the first) opening a word; null if not. */
function wordsInOrder(words: readonly string[], target: Prepared): number[] | null {
  const taken: number[] = []
  let from = 0
  for (const [n, word] of words.entries()) {
    let at = target.folded.indexOf(word, from)
    while (n > 0 && at >= 0 && !opensWord(at, target)) at = target.folded.indexOf(word, at + 1)
    if (at < 0) return null
    for (let i = at; i < at + word.length; i = after(target.folded, i)) taken.push(i)
    from = at + word.length
  }
  return taken
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

/** The same letters ending where `taken` ends, each as late as it can be: the tightest run. */
function tightened(query: string, { folded }: Prepared, taken: readonly number[]): number[] {
  const points = [...query]
  const tight: number[] = []
  let before = taken[taken.length - 1]!
  for (let n = points.length - 1; n >= 0; n--) {
    const found = folded.lastIndexOf(points[n]!, before)
    tight.unshift(found)
    before = found - 1
  }
  return tight
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
