// What the filter bar asks of a card, as pure functions: free text (every word somewhere in the
// title, id, source or tags, ignoring case and accents), and four facets (tag, source, lane,
// status; any of the chosen values within a facet, every facet at once). No regular expression is
// ever built from what the user typed.
import {
  SPEC_STATUSES,
  type Agent,
  type SpecCard,
  type SpecStatus,
} from '../../../../shared/domain'
import { laneLabel, type Lane } from '../../board/cells'

export const FACETS = ['tag', 'source', 'lane', 'status'] as const
export type Facet = (typeof FACETS)[number]

export const FACET_LABELS: Record<Facet, string> = {
  tag: 'Tag',
  source: 'Source',
  lane: 'Lane',
  status: 'Status',
}

interface FacetValues {
  tag: string
  source: string
  lane: Lane
  status: SpecStatus
}

/** A facet's value: a tag, a source, a status, an agent's name, or null for Unassigned. */
export type FacetValue = string | null

export type BoardFilter = { text: string } & { [F in Facet]: readonly FacetValues[F][] }

export const NO_FILTER: BoardFilter = Object.freeze({
  text: '',
  tag: [],
  source: [],
  lane: [],
  status: [],
})

/** Longer text is cut here: nothing on a card is longer than a title, and the URL stays small. */
export const MAX_QUERY = 200
/** Values kept per facet from a URL: a hand-made link cannot make the board check thousands. */
const MAX_VALUES = 50

export function isFiltering(filter: BoardFilter): boolean {
  return filter.text.trim() !== '' || FACETS.some((facet) => filter[facet].length > 0)
}

/** How many facet values are chosen, across all facets. */
export function chosenCount(filter: BoardFilter): number {
  return FACETS.reduce((sum, facet) => sum + filter[facet].length, 0)
}

/** Case- and accent-insensitive form: "Éclair" and "eclair" match; other scripts are left whole. */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
}

/** The words of a query, folded; "  a   b " is ["a", "b"]. */
export function queryWords(text: string): string[] {
  return fold(text.slice(0, MAX_QUERY))
    .split(/\s+/u)
    .filter((word) => word !== '')
}

// A card's searchable text, folded once per card object (a board read brings new objects).
const haystacks = new WeakMap<SpecCard, string>()
function haystack(spec: SpecCard): string {
  let text = haystacks.get(spec)
  if (text === undefined) {
    text = fold([spec.title, spec.id, spec.source, ...spec.tags].join('\n'))
    haystacks.set(spec, text)
  }
  return text
}

/** One test per card, built once per filter: sets for the facets, folded words for the text. */
export function compileFilter(filter: BoardFilter, except?: Facet): (spec: SpecCard) => boolean {
  const words = queryWords(filter.text)
  const set = (facet: Facet): ReadonlySet<FacetValue> | null =>
    facet === except || filter[facet].length === 0 ? null : new Set<FacetValue>(filter[facet])
  const tags = set('tag')
  const sources = set('source')
  const lanes = set('lane')
  const statuses = set('status')
  return (spec) =>
    (!sources || sources.has(spec.source)) &&
    (!lanes || lanes.has(spec.agent)) &&
    (!statuses || statuses.has(spec.status)) &&
    (!tags || spec.tags.some((tag) => tags.has(tag))) &&
    (words.length === 0 || words.every((word) => haystack(spec).includes(word)))
}

/** The cards the filter shows; the very same array when nothing is filtered. */
export function filterSpecs(specs: readonly SpecCard[], filter: BoardFilter): readonly SpecCard[] {
  if (!isFiltering(filter)) return specs
  return specs.filter(compileFilter(filter))
}

export interface FacetOption {
  value: FacetValue
  label: string
  /** Cards it would show with the rest of the filter as it is. */
  count: number
  chosen: boolean
}

function valuesOf(spec: SpecCard, facet: Facet): readonly FacetValue[] {
  if (facet === 'tag') return spec.tags
  return [facet === 'source' ? spec.source : facet === 'lane' ? spec.agent : spec.status]
}

const chosenIn = (filter: BoardFilter, facet: Facet): readonly FacetValue[] => filter[facet]

/**
 * What a facet's menu offers: every value on the board (so the menu does not reshuffle as the
 * text changes), each counted against the rest of the filter. Lanes follow the board's order,
 * statuses their progress; tags and sources the most used first.
 */
export function facetOptions(
  facet: Facet,
  specs: readonly SpecCard[],
  agents: readonly Agent[],
  filter: BoardFilter,
): FacetOption[] {
  const others = compileFilter(filter, facet)
  const chosen = chosenIn(filter, facet)
  const counts = new Map<FacetValue, number>()
  if (facet === 'lane') for (const lane of [null, ...agents.map((a) => a.name)]) counts.set(lane, 0)
  for (const spec of specs) {
    const shown = others(spec) ? 1 : 0
    for (const value of new Set(valuesOf(spec, facet)))
      counts.set(value, (counts.get(value) ?? 0) + shown)
  }
  for (const value of chosen) if (!counts.has(value)) counts.set(value, 0)
  const options = [...counts].map(([value, count]) => ({
    value,
    label: facet === 'lane' ? laneLabel(value) : String(value),
    count,
    chosen: chosen.includes(value),
  }))
  if (facet === 'status') {
    const order = (s: FacetValue) => SPEC_STATUSES.indexOf(s as SpecStatus)
    return options.sort((a, b) => order(a.value) - order(b.value))
  }
  if (facet === 'lane') return options
  return options.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
}

/** The filter with `value` chosen in `facet`, or no longer chosen. */
export function toggleValue(filter: BoardFilter, facet: Facet, value: FacetValue): BoardFilter {
  const values = chosenIn(filter, facet)
  const next = values.includes(value) ? values.filter((v) => v !== value) : [...values, value]
  return { ...filter, [facet]: next }
}

// In the URL: ?q=text&tag=a&tag=b&source=hn&lane=bob&lane=-unassigned&status=running. An agent's
// name starts with a letter, so "-unassigned" can only mean the Unassigned lane.
const UNASSIGNED_PARAM = '-unassigned'
const QUERY_PARAM = 'q'

/** `search` (a location's ?query) with the filter's parameters replaced; others are kept. */
export function withFilterParams(search: string, filter: BoardFilter): string {
  const params = new URLSearchParams(search)
  for (const key of [QUERY_PARAM, ...FACETS]) params.delete(key)
  const text = filter.text.slice(0, MAX_QUERY)
  if (text.trim() !== '') params.set(QUERY_PARAM, text)
  for (const facet of FACETS)
    for (const value of filter[facet])
      params.append(facet, value === null ? UNASSIGNED_PARAM : String(value))
  const query = params.toString()
  return query ? `?${query}` : ''
}

/** The filter a URL's ?query asks for; anything malformed is left out, never an error. */
export function filterFromParams(search: string): BoardFilter {
  const params = new URLSearchParams(search)
  const list = (facet: Facet): string[] => [
    ...new Set(
      params
        .getAll(facet)
        .map((v) => v.trim())
        .filter((v) => v !== '' && v.length <= MAX_QUERY),
    ),
  ]
  const pick = <T>(values: T[]): T[] => values.slice(0, MAX_VALUES)
  return {
    text: (params.get(QUERY_PARAM) ?? '').slice(0, MAX_QUERY),
    tag: pick(list('tag')),
    source: pick(list('source')),
    lane: pick(list('lane').map((v) => (v === UNASSIGNED_PARAM ? null : v))),
    status: pick(
      list('status').filter((v): v is SpecStatus => SPEC_STATUSES.includes(v as SpecStatus)),
    ),
  }
}
