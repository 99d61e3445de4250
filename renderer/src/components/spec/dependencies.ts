// Dependencies in the user's words: which specs a picker offers for a query, what state each one
// is in ("shipped", "running on bob", "waiting"), and the engine's refusals with titles for ids.
import type { SpecCard, SpecId } from '../../../../shared/domain'
import { fold, queryWords } from '../search/boardFilter'

/**
 * The specs a picker offers: every word of the query somewhere in the title, in the board's order
 * (priority, then newest), titles starting with the query first; the spec itself and those
 * already chosen left out.
 */
export function dependencyChoices(
  specs: readonly SpecCard[],
  exclude: ReadonlySet<SpecId>,
  query: string,
  limit = 8,
): SpecCard[] {
  const words = queryWords(query)
  const matches = specs.filter((spec) => {
    if (exclude.has(spec.id)) return false
    const title = fold(spec.title)
    return words.every((word) => title.includes(word))
  })
  const start = words.join(' ')
  if (start) {
    const starts = (spec: SpecCard) => Number(fold(spec.title).startsWith(start))
    matches.sort((a, b) => starts(b) - starts(a))
  }
  return matches.slice(0, limit)
}

/** A spec's state as its neighbour in a dependency sees it. `shipped`: it has shipped for good. */
export function dependencyState(card: SpecCard | undefined, shipped: boolean): string {
  if (shipped || card?.status === 'shipped') return 'shipped'
  if (!card) return 'no longer on the board'
  if (card.status === 'running') return card.agent ? `running on ${card.agent}` : 'running'
  if (card.waitingOn.length > 0) return 'waiting'
  switch (card.status) {
    case 'queued':
      return card.agent ? `queued for ${card.agent}` : 'queued'
    case 'review':
      return 'in review'
    case 'failed':
      return 'failed'
    case 'done':
      return 'done, not shipped'
    default:
      return card.stage === 'idea' ? 'an idea' : 'not started'
  }
}

/**
 * The engine names specs by id ("s_3 cannot depend on s_1: that would be a cycle (s_3 → s_1 →
 * s_3)"); the person knows them by title.
 */
export function refusalInWords(
  message: string,
  titleOf: (id: SpecId) => string | undefined,
): string {
  const text = message.replace(/^spec\/(?:edit|add): (?:dependsOn(?:\.\d+)?: )?/, '')
  const name = (id: string): string => {
    const title = titleOf(id as SpecId)
    return title ? `“${title}”` : 'a spec that is gone'
  }
  const loop = /^(s_\d+) cannot depend on (s_\d+): that would be a cycle \(([^)]*)\)$/.exec(text)
  if (loop) {
    // The path runs from the spec back to itself: A → B → … → A. B already waits for A.
    const [, spec = '', other = '', path = ''] = loop
    const between = path.split(' → ').slice(2, -1)
    const through = between.length > 0 ? `, through ${between.map(name).join(' → ')}` : ''
    return `${capital(name(spec))} cannot wait for ${name(other)}: ${name(other)} already waits for it${through}.`
  }
  const words = text
    .replace(/: no such spec$/, '')
    .replace(/no spec with id "(s_\d+)" to depend on/, '$1 is not on the board')
    // Last, in one pass, so a title that reads like an id is never replaced again.
    .replace(/\bs_\d+\b/g, name)
  return capital(words)
}

const capital = (text: string): string => text.replace(/^./, (first) => first.toUpperCase())
