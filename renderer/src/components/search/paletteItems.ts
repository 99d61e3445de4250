// What the command palette offers for a query, ranked: specs by title, lanes, the app's actions
// and filters. Pure: the palette turns a chosen item into what it does.
import type { Agent, SpecCard } from '../../../../shared/domain'
import type { Lane } from '../../board/cells'
import { formatTime } from '../../time'
import { holdAction } from '../agent/laneHold'
import type { Facet } from './boardFilter'
import { fuzzyMatch, prepare, queryPoints, type Prepared } from './fuzzy'

export type PaletteTarget =
  | { kind: 'spec'; spec: SpecCard }
  | { kind: 'lane'; lane: Lane }
  | { kind: 'action'; action: string }
  | { kind: 'filter'; facet: Facet; value: string | null }

export interface PaletteEntry {
  /** Unique in a list; also the option's DOM id suffix. */
  key: string
  label: string
  /** Said after the label, smaller: where a spec is, a key that does the same. */
  hint: string
  /** Matched too, not shown: "utilization" finds Saturation. */
  keywords?: string
  target: PaletteTarget
}

export interface PaletteOption extends PaletteEntry {
  prepared: Prepared
  /** Grapheme indexes of the label to highlight. */
  matched: number[]
  score: number
}

export interface PaletteGroup {
  title: string
  options: PaletteOption[]
}

export interface PaletteSources {
  specs: readonly PaletteEntry[]
  lanes: readonly PaletteEntry[]
  actions: readonly PaletteEntry[]
  /** Actions on one lane each ("Pause bob"): found by typing, not listed before. */
  laneActions?: readonly PaletteEntry[]
  filters: readonly PaletteEntry[]
}

/** Specs listed at most; the rest are a more precise query away. */
const MAX_SPECS = 30
const MAX_FILTERS = 8
const RECENT_SPECS = 6

/** Actions win a tie: "new" is the New spec action before a spec called "New onboarding". */
const ACTION_BONUS = 50

function ranked(
  entries: readonly PaletteEntry[],
  query: string,
  max: number,
  bonus = 0,
): PaletteOption[] {
  const options: PaletteOption[] = []
  for (const entry of entries) {
    const prepared = prepare(entry.label)
    let match = fuzzyMatch(query, prepared)
    if (!match && entry.keywords) {
      const byKeyword = fuzzyMatch(query, prepare(entry.keywords))
      // Found by a keyword: listed, lower, with nothing in its label highlighted.
      if (byKeyword) match = { score: byKeyword.score - 300, matched: [] }
    }
    if (match)
      options.push({ ...entry, prepared, matched: match.matched, score: match.score + bonus })
  }
  // A stable sort keeps the given order (priority, board order) among equal scores.
  return options.sort((a, b) => b.score - a.score).slice(0, max)
}

const plain = (entries: readonly PaletteEntry[]): PaletteOption[] =>
  entries.map((entry) => ({ ...entry, prepared: prepare(entry.label), matched: [], score: 0 }))

/**
 * With no query: the actions, the lanes, the specs changed last. With one: every kind that
 * matches, the group holding the best match first, so Enter takes what fits best.
 */
export function paletteGroups(query: string, sources: PaletteSources): PaletteGroup[] {
  const points = queryPoints(query)
  if (points.length === 0) {
    const recent = [...sources.specs]
      .sort(
        (a, b) =>
          (b.target.kind === 'spec' ? b.target.spec.updatedAt : 0) -
          (a.target.kind === 'spec' ? a.target.spec.updatedAt : 0),
      )
      .slice(0, RECENT_SPECS)
    return [
      { title: 'Actions', options: plain(sources.actions) },
      { title: 'Lanes', options: plain(sources.lanes) },
      { title: 'Recent specs', options: plain(recent) },
    ].filter((group) => group.options.length > 0)
  }
  const groups: PaletteGroup[] = [
    { title: 'Specs', options: ranked(sources.specs, points, MAX_SPECS) },
    { title: 'Lanes', options: ranked(sources.lanes, points, Infinity) },
    {
      title: 'Actions',
      options: ranked(
        [...sources.actions, ...(sources.laneActions ?? [])],
        points,
        Infinity,
        ACTION_BONUS,
      ),
    },
    { title: 'Filters', options: ranked(sources.filters, points, MAX_FILTERS) },
  ].filter((group) => group.options.length > 0)
  const best = (group: PaletteGroup) => group.options[0]?.score ?? -Infinity
  return groups.sort((a, b) => best(b) - best(a))
}

/**
 * Each lane's hold, as its lane editor offers it: "Pause bob" while bob takes runs, "Resume bob"
 * while he is held (by hand or until a time). The action's id names the lane: `hold:bob`.
 */
export function laneHoldEntries(agents: readonly Agent[], now: number): PaletteEntry[] {
  return agents.map((agent) => {
    const resume = holdAction(agent, now) === 'resume'
    const until = agent.pausedUntil
      ? `until ${formatTime(agent.pausedUntil, now)}`
      : 'until resumed'
    return {
      key: `action-hold-${agent.name}`,
      label: `${resume ? 'Resume' : 'Pause'} ${agent.name}`,
      hint: resume ? `Paused ${until}` : 'Until you resume it',
      keywords: `${agent.name} lane hold`,
      target: { kind: 'action', action: `hold:${agent.name}` },
    }
  })
}

/** Every option in the order shown, for the arrow keys. */
export function flatOptions(groups: readonly PaletteGroup[]): PaletteOption[] {
  return groups.flatMap((group) => group.options)
}
