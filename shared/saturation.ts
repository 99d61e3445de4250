// The saturation view's data: each agent's utilization over time in buckets, the portfolio of all
// agents together, and where the last 7 days' capacity went. Columnar, so 30 days of 5-minute
// buckets for 10 agents crosses a host boundary as a few flat arrays.
//
// Three words, one meaning everywhere (engine, CLI, view):
// - use: what a lane's meter shows, every source it has merged (shared/quotas.ts);
// - idle: capacity left unused while the lane could have worked, 1 − use, clipped at 0;
// - blocked: the same unused capacity while the lane could not work (held, paused, disabled):
//   not waste the allocator could have avoided, so never counted as idle. A lane with every slot
//   taken by its runs (or its queue) is blocked too, by its own cap.
import type { LaneSources, QuotaUnit, QuotaWindow } from './quotas'

const MINUTE_MS = 60_000
export const DAY_MS = 86_400_000

/** The bucket sizes the view asks for: hours for whole ranges, 5 minutes when zoomed in. */
export const SATURATION_BUCKETS = { hour: 60 * MINUTE_MS, '5min': 5 * MINUTE_MS } as const
export type SaturationBucket = keyof typeof SATURATION_BUCKETS
export const SATURATION_MAX_DAYS = 30
/** "Idle quota this week" always looks at the last 7 days, whatever range the chart shows. */
export const IDLE_WEEK_DAYS = 7

/** Usage in every unit a quota window can count; `usd` in integer micro-dollars. */
export type UsageTotals = Record<QuotaUnit, number>

export interface AgentSaturation {
  agent: string
  quotas: QuotaWindow[]
  /**
   * Per bucket: the binding window's utilization (1 = used exactly as fast as the window allows;
   * above 1 = faster, borrowing from the rest of the window). null in buckets before the agent had
   * capacity; the whole array is null when the agent has no quota windows (no capacity to divide by).
   */
  utilization: (number | null)[] | null
  /** Used over the whole range, for every agent, windows or not. */
  used: UsageTotals
  /**
   * Per bucket: the share of it the lane could not work (held, paused or disabled), 0..1; null
   * where utilization is null.
   */
  blocked: (number | null)[] | null
  /** The buckets whose figure is the subscription's own report (higher than the count). */
  byReport: number[]
  /** Where its figures come from besides its runs. */
  sources: LaneSources
  /** Its holds that overlap the range, oldest first. */
  holds: LaneHold[]
}

/** A stretch of time a lane could not work (more). */
export interface LaneHold {
  from: number
  /** Its end, or `now` for one still on. */
  to: number
  /** Held or paused, switched off, or every slot taken (its runs at once, its queue included). */
  kind: 'paused' | 'disabled' | 'cap'
  /** As the hold was written ("quota_exhausted: …", "holiday"); null when disabled. */
  reason: string | null
  /** Still on at `now`. */
  current: boolean
}

/**
 * One quota window over the week, in the window's own unit. Its shares are time averages of what
 * its meter said, every 5 minutes: used (up to 100%), idle (the rest, while the lane could work)
 * and blocked (the rest, while it could not); the three add up to 1.
 */
export interface IdleQuota extends QuotaWindow {
  /** What the window allowed over the time the agent had capacity: limit × time / duration. */
  capacity: number
  /** Counted in the ledger over the week (runs and imported logs). */
  used: number
  /** idleShare × capacity: what went unused while the lane could work. */
  idle: number
  idleShare: number
  blockedShare: number
  usedShare: number
}

export interface AgentIdleWeek {
  agent: string
  /** Where its capacity starts in the week: the week's start, or when the lane was added. */
  since: number
  /**
   * The agent as a whole, moment by moment its fullest window (what its lane meter and the
   * allocator read): shares of its time with capacity, adding up to 1.
   */
  usedShare: number
  idleShare: number
  blockedShare: number
  /** Time it could not work this week (ms), and the holds that made it. */
  blockedMs: number
  holds: LaneHold[]
  /** The window with the least idle share: the one that limited the agent most. */
  binding: IdleQuota
  windows: IdleQuota[]
  /** Some of the week's figures are the subscription's own report. */
  byReport: boolean
  sources: LaneSources
}

export interface IdleWeek {
  from: number
  to: number
  /** Agents with quota windows only. */
  agents: AgentIdleWeek[]
  /** The agents' shares averaged, each agent one seat; null without windows. */
  idleShare: number | null
  blockedShare: number | null
  /** Binding windows' idle capacity added up per unit (tokens cannot be added to dollars). */
  totals: { unit: QuotaUnit; capacity: number; used: number; idle: number }[]
}

export interface Saturation {
  now: number
  /** Start of the first bucket and end of the last (the last one holds `now` and is partial). */
  from: number
  to: number
  bucketMs: number
  /** Bucket starts, epoch ms. */
  timestamps: number[]
  agents: AgentSaturation[]
  /** Per bucket: the mean utilization of the agents with capacity then (each agent one seat). */
  portfolio: (number | null)[]
  /** Per bucket: the mean idle capacity, max(0, 1 − utilization) while it could work, of those agents. */
  idle: (number | null)[]
  /** Per bucket: the mean blocked capacity, the same while it could not work. */
  blocked: (number | null)[]
  /**
   * When the first agent with quota windows had capacity (null: none has): the chart starts there
   * rather than at the range's start, so a first day is a day wide, not a few dots at the edge.
   */
  dataFrom: number | null
  week: IdleWeek
}
