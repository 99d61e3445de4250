// The saturation view's data: each agent's utilization over time in buckets, the portfolio of all
// agents together, and how much quota sat idle over the last 7 days. Columnar, so 30 days of
// 5-minute buckets for 10 agents crosses a host boundary as a few flat arrays.
import type { QuotaUnit, QuotaWindow } from './quotas'

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
}

/** One quota window over the idle week, in the window's own unit. */
export interface IdleQuota extends QuotaWindow {
  /** What the window allowed over the time the agent had capacity: limit × time / duration. */
  capacity: number
  used: number
  /** max(0, capacity − used). */
  idle: number
  /** idle / capacity, 0..1. */
  idleShare: number
}

export interface AgentIdleWeek {
  agent: string
  /** Where its capacity starts in the week: the week's start, or when the lane was added. */
  since: number
  /** The window with the least idle share: the one that limited the agent most. */
  binding: IdleQuota
  windows: IdleQuota[]
}

export interface IdleWeek {
  from: number
  to: number
  /** Agents with quota windows only. */
  agents: AgentIdleWeek[]
  /** The agents' binding idle shares averaged, each agent one seat; null without windows. */
  idleShare: number | null
  /** Binding windows added up per unit (tokens cannot be added to dollars). */
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
  /** Per bucket: the mean idle capacity, max(0, 1 − utilization), of those agents. */
  idle: (number | null)[]
  week: IdleWeek
}
