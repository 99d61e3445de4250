// Quota windows: what a subscription allows in a rolling window ("5h of tokens", "7d of dollars"),
// and how much of it an agent has used. Shared by the engine (which counts), the CLI and the lanes.
import { formatCount, formatUsd, parseDuration } from './format'

export const QUOTA_UNITS = ['tokens', 'usd', 'messages', 'runs'] as const
/** How many windows a lane may have. */
export const MAX_QUOTA_WINDOWS = 10
export type QuotaUnit = (typeof QUOTA_UNITS)[number]

export interface QuotaWindow {
  /** As the user wrote it: "5h", "7d". */
  window: string
  durationMs: number
  unit: QuotaUnit
  /** In the unit's own integers: tokens, micro-dollars, messages, runs. */
  limit: number
}

export interface WindowUsage extends QuotaWindow {
  used: number
  /** used / limit (may pass 1). */
  utilization: number
  /** When the oldest usage counted in the window leaves it (epoch ms); null when nothing is counted. */
  freesAt: number | null
  /**
   * The subscription's own report for a window of this length, when it has a current one:
   * `utilization` and `freesAt` above are then the higher of the ledger's count and the report's.
   */
  reported?: ReportedWindow
}

/** "5h:tokens:2000000", "7d:usd:200", "5h:runs:10" → a window; usd limits may have cents. */
export function parseQuota(text: string): QuotaWindow | string {
  const [window = '', unit = '', limitText = '', ...rest] = text.trim().split(':')
  if (rest.length) return `"${text}": use WINDOW:UNIT:LIMIT, e.g. 5h:tokens:2000000`
  const durationMs = parseDuration(window)
  if (durationMs === undefined) return `"${text}": the window is a duration like 5h or 7d`
  if (!(QUOTA_UNITS as readonly string[]).includes(unit)) {
    return `"${text}": the unit is one of ${QUOTA_UNITS.join(', ')}`
  }
  const pattern = unit === 'usd' ? /^\d+(\.\d{1,6})?$/ : /^\d+$/
  if (!pattern.test(limitText) || Number(limitText) <= 0) {
    return `"${text}": the limit is a positive ${unit === 'usd' ? 'amount' : 'whole number'}`
  }
  const limit = unit === 'usd' ? dollarsToMicros(limitText) : Number(limitText)
  return { window, durationMs, unit: unit as QuotaUnit, limit }
}

/** "200" → 200_000_000, "12.5" → 12_500_000: digits shifted, no float arithmetic. */
function dollarsToMicros(text: string): number {
  const [whole = '0', fraction = ''] = text.split('.')
  return Number(whole) * 1_000_000 + Number(fraction.padEnd(6, '0'))
}

/** An amount without its unit's name: "1.3M", "$40", "6.5" (an average may be fractional). */
export function formatQuotaFigure(unit: QuotaUnit, amount: number): string {
  if (unit === 'usd') return formatUsd(Math.round(amount))
  if (unit === 'tokens' || amount >= 100) return formatCount(Math.round(amount))
  return String(Math.round(amount * 10) / 10)
}

/** An amount with its unit: "1.3M tokens", "$40", "12 messages", "1 run". */
export function formatQuotaAmount(unit: QuotaUnit, amount: number): string {
  const figure = formatQuotaFigure(unit, amount)
  if (unit === 'usd') return figure
  return `${figure} ${figure === '1' ? unit.replace(/s$/, '') : unit}`
}

/** "1.2M of 2M tokens", "$12 of $200", "1 of 10 runs": the unit said once. */
export function formatUsedOf(unit: QuotaUnit, used: number, limit: number): string {
  return `${formatQuotaFigure(unit, used)} of ${formatQuotaAmount(unit, limit)}`
}

/** "5h tokens: 1.2M of 2M tokens (60%)", and "; the subscription reports 85%" with a report. */
export function describeWindow(usage: WindowUsage): string {
  const percent = (utilization: number) => `${Math.round(utilization * 100)}%`
  const text = `${usage.window} ${usage.unit}: ${formatUsedOf(usage.unit, usage.used, usage.limit)} (${percent(usage.used / usage.limit)})`
  // The report may be what holds the lane: "(10%)" alone next to a refusal would make no sense.
  return usage.reported
    ? `${text}; the subscription reports ${percent(usage.reported.utilization)}`
    : text
}

/**
 * Where an agent's use is read from besides its own runs, each switchable per agent:
 * Claude Code's session logs (work done outside the factory counts too) and the subscription's
 * own usage report (Anthropic's OAuth usage endpoint: 5-hour and 7-day utilization). Both are
 * read-only; credentials stay in their file and never enter the ledger.
 */
export interface UsageSources {
  claudeLogs?: {
    enabled: boolean
    /** The Claude projects folder; null: ~/.claude/projects. */
    dir: string | null
  }
  usageReport?: {
    enabled: boolean
    /** The API's base URL; null: https://api.anthropic.com. */
    baseUrl: string | null
    /** Claude Code's credentials file; null: ~/.claude/.credentials.json. */
    credentialsFile: string | null
  }
}

/** One window of the subscription's own usage report (Anthropic's OAuth usage endpoint). */
export interface ReportedWindow {
  /** As the report names it: "five_hour", "seven_day", "seven_day_opus". */
  window: string
  durationMs: number
  /** 0..1 (the report says percent; may pass 1). */
  utilization: number
  /** When the report says the window resets (epoch ms); null when it does not say. */
  resetsAt: number | null
  fetchedAt: number
}

/** What `usage/sync` did for one agent and one of its sources; `error` says why it could not. */
export type UsageSourceSync =
  | {
      agent: string
      source: 'claude-logs'
      /** Usage rows added, and rows raised to a later, fuller count of the same message. */
      rows: number
      updated: number
      /** Log files with something new read. */
      files: number
      /** Lines passed over: unreadable, over the size cap, or the factory's own runs. */
      skipped: { malformed: number; tooLong: number; factoryRuns: number }
      error: string | null
    }
  | { agent: string; source: 'usage-report'; windows: ReportedWindow[]; error: string | null }

/** An agent's capacity now: each window's use, its runs against its cap, and whether it is held. */
export interface AgentUsage {
  agent: string
  plan: string | null
  enabled: boolean
  running: number
  maxConcurrent: number
  windows: WindowUsage[]
  /** Held until then (epoch ms); Infinity is not JSON, so "until resumed" is `pausedIndefinitely`. */
  pausedUntil: number | null
  pausedIndefinitely: boolean
  pauseReason: string | null
  /** Just out of a quota hold: one run at a time until one gets through (no retry storm). */
  probing: boolean
  /** The subscription's current report, every window of it (also those no quota window matches). */
  reports?: ReportedWindow[]
}
