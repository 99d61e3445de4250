// Groups the board's cards into swimlane × stage cells. Pure (no DOM, no store) so the rules the
// user sees — lane order, card order — are tested directly.
import {
  STAGES,
  type Agent,
  type Placement,
  type SpecCard,
  type SpecId,
  type Stage,
} from '../../../shared/domain'

/** An opened cell draws this many cards at first, so opening one with thousands is quick. */
export const CELL_FIRST_PAGE = 16
/** Then this many more each time the end of its list scrolls near. */
export const CELL_PAGE = 50

/** A swimlane: an agent's name, or null for Unassigned. */
export type Lane = string | null

export interface BoardCells {
  /** Unassigned first, then agents in board order, then agents only known from their cards. */
  lanes: Lane[]
  cells: Map<string, SpecCard[]>
  stageCounts: Record<Stage, number>
  laneCounts: Map<Lane, number>
  total: number
}

const EMPTY: readonly SpecCard[] = Object.freeze([])

/** '' can never be an agent name, so Unassigned cannot collide with an agent called "unassigned". */
export function cellKey(stage: Stage, lane: Lane): string {
  return `${stage}:${lane ?? ''}`
}

/** What tests and dnd-kit call a lane: the agent's name or "unassigned". */
export function laneSlug(lane: Lane): string {
  return lane ?? 'unassigned'
}

export function laneLabel(lane: Lane): string {
  return lane ?? 'Unassigned'
}

function idNumber(id: SpecId): number {
  return Number(id.slice(2))
}

/** Priority first, then newest first; the id breaks ties so the order never flickers. */
export function compareCards(a: SpecCard, b: SpecCard): number {
  return b.priority - a.priority || b.createdAt - a.createdAt || idNumber(b.id) - idNumber(a.id)
}

/** In Software, what runs comes first: a collapsed cell shows its running cards. */
function compareAtWork(a: SpecCard, b: SpecCard): number {
  const running = Number(b.status === 'running') - Number(a.status === 'running')
  return running || compareCards(a, b)
}

/** `onlyLanes`: the lanes to show (a filter's) and their cards only; otherwise every lane. */
export function groupIntoCells(
  specs: readonly SpecCard[],
  agents: readonly Agent[],
  onlyLanes?: readonly Lane[],
): BoardCells {
  const every: Lane[] = [null, ...agents.map((agent) => agent.name)]
  const lanes = onlyLanes ? every.filter((lane) => onlyLanes.includes(lane)) : every
  const known = new Set<Lane>(lanes)
  const wanted = onlyLanes && new Set<Lane>(onlyLanes)
  let total = 0
  const cells = new Map<string, SpecCard[]>()
  const stageCounts = Object.fromEntries(STAGES.map((stage) => [stage, 0])) as Record<Stage, number>
  const laneCounts = new Map<Lane, number>()

  for (const spec of specs) {
    if (wanted && !wanted.has(spec.agent)) continue
    total += 1
    // A card whose agent is not (or no longer) on the board still gets a lane rather than vanishing.
    if (!known.has(spec.agent)) {
      known.add(spec.agent)
      lanes.push(spec.agent)
    }
    const key = cellKey(spec.stage, spec.agent)
    const cell = cells.get(key)
    if (cell) cell.push(spec)
    else cells.set(key, [spec])
    stageCounts[spec.stage] += 1
    laneCounts.set(spec.agent, (laneCounts.get(spec.agent) ?? 0) + 1)
  }
  for (const [key, cell] of cells)
    cell.sort(key.startsWith('software:') ? compareAtWork : compareCards)
  return { lanes, cells, stageCounts, laneCounts, total }
}

export function cardsIn(board: BoardCells, place: Placement): readonly SpecCard[] {
  return board.cells.get(cellKey(place.stage, place.agent)) ?? EMPTY
}

export function samePlace(a: Placement, b: Placement): boolean {
  return a.stage === b.stage && a.agent === b.agent
}

/** While the board is filtered, a cell shows at least this many of the cards that matched. */
export const FILTERED_LIMIT = 5

/**
 * How many cards a cell shows before "N more": few enough that every lane's header stays on a
 * laptop's screen. A lane's running cards always show; what is finished shows its latest. A
 * filtered board has fewer cards, and its user asked to see them: more of them show.
 */
export function collapsedLimit(
  stage: Stage,
  lane: Lane,
  cards: readonly SpecCard[],
  filtered = false,
): number {
  if (filtered) return Math.max(FILTERED_LIMIT, collapsedLimit(stage, lane, cards))
  if (lane === null) return 3
  if (stage === 'software') {
    const running = cards.filter((card) => card.status === 'running').length
    return Math.max(2, running)
  }
  return 1
}
