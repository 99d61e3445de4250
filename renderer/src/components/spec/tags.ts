// Tags as chips: what a person types (one tag, or several split by commas) added to the chosen
// ones, and the tags already on the board offered while typing, most used first.
import type { SpecCard } from '../../../../shared/domain'
import { fold, queryWords } from '../search/boardFilter'

/** As the engine's schema allows. */
export const MAX_TAGS = 20
export const MAX_TAG_LENGTH = 40

export type TagAddition = { tags: string[]; problem: string | null }

/**
 * "cli, Onboarding" added to ["cli"] → ["cli", "Onboarding"]: trimmed, empty pieces dropped, a tag
 * already chosen (in any case) not added twice. A tag the engine would refuse is left out, named.
 */
export function addTags(chosen: readonly string[], typed: string): TagAddition {
  const tags = [...chosen]
  let problem: string | null = null
  for (const piece of typed.split(',')) {
    const tag = piece.trim().replace(/\s+/g, ' ')
    if (tag === '' || tags.some((t) => fold(t) === fold(tag))) continue
    if (tag.length > MAX_TAG_LENGTH) {
      problem = `A tag is at most ${MAX_TAG_LENGTH} characters; “${tag.slice(0, 20)}…” is ${tag.length}`
    } else if (tags.length >= MAX_TAGS) {
      problem = `At most ${MAX_TAGS} tags on a spec`
    } else {
      tags.push(tag)
    }
  }
  return { tags, problem }
}

/** Every tag on the board with how many cards carry it, most used first, then by name. */
export function boardTags(specs: readonly SpecCard[]): string[] {
  const counts = new Map<string, number>()
  for (const spec of specs) for (const tag of spec.tags) counts.set(tag, (counts.get(tag) ?? 0) + 1)
  return [...counts.entries()]
    .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))
    .map(([tag]) => tag)
}

/** Board tags matching what is typed (each word somewhere in the tag), those chosen left out. */
export function tagSuggestions(
  known: readonly string[],
  chosen: readonly string[],
  typed: string,
  limit = 6,
): string[] {
  const words = queryWords(typed.split(',').at(-1) ?? '')
  const taken = new Set(chosen.map(fold))
  const matches = known.filter((tag) => {
    const folded = fold(tag)
    return !taken.has(folded) && words.every((word) => folded.includes(word))
  })
  // A tag that starts with what was typed is the likelier one.
  const first = words[0]
  if (first)
    matches.sort((a, b) => Number(fold(b).startsWith(first)) - Number(fold(a).startsWith(first)))
  return matches.slice(0, limit)
}
