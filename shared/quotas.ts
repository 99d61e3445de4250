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
  /** The part of `used` read from Claude Code's logs (work done outside the factory). */
  fromLogs?: number
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
  /** Runs at work: starting or running (a remote lane's: claimed by its drainer). */
  running: number
  /** A remote lane's runs written to its queue that its drainer has not claimed yet. */
  waiting: number
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
  /** Which sources besides its runs the lane reads (absent: none, as before they existed). */
  sources?: LaneSources
}

/** The sources a lane's use is read from besides its own runs, as switched on. */
export interface LaneSources {
  claudeLogs: boolean
  usageReport: boolean
}

export function laneSources(sources: UsageSources): LaneSources {
  return {
    claudeLogs: sources.claudeLogs?.enabled ?? false,
    usageReport: sources.usageReport?.enabled ?? false,
  }
}

// Use, defined once. A window's use is every source the lane has, merged: its runs and Claude
// Code's logs are counted in the ledger and add up (the logs leave out the factory's own runs); the
// subscription's own report is a share of the same window, and the higher of the count and the
// report is the use (each may miss what the other sees). The meters, the allocator (through
// `laneAvailability` and `peakUtilization`) and the saturation view all read this figure.

/**
 * The report windows that cover everything the subscription does, and so may raise a quota window
 * of the same length. The per-model ones (opus, sonnet) are shown but raise nothing: a spent Opus
 * week does not stop runs on other models.
 */
const WHOLE_SUBSCRIPTION = new Set(['five_hour', 'seven_day'])

/** Whether a report still speaks for its window at `at`: until its reset, or one length after. */
export function isReportCurrent(report: ReportedWindow, at: number): boolean {
  if (report.fetchedAt > at) return false
  return report.resetsAt === null ? report.fetchedAt + report.durationMs > at : report.resetsAt > at
}

/** The report window that speaks for a quota window of `durationMs` at `at`, if any. */
export function reportFor(
  reports: readonly ReportedWindow[],
  durationMs: number,
  at: number,
): ReportedWindow | undefined {
  return reports.find(
    (r) =>
      WHOLE_SUBSCRIPTION.has(r.window) && r.durationMs === durationMs && isReportCurrent(r, at),
  )
}

/** A counted share merged with the report's: the higher of the two. */
export function mergedUtilization(counted: number, report: ReportedWindow | undefined): number {
  return report ? Math.max(counted, report.utilization) : counted
}

/**
 * A window's counted use merged with the report for a window of the same length: when the report is
 * the higher, it is the use, and the lane frees when the report resets.
 */
export function withReport(
  usage: WindowUsage,
  reports: readonly ReportedWindow[],
  at: number,
): WindowUsage {
  const report = reportFor(reports, usage.durationMs, at)
  if (!report) return usage
  if (report.utilization <= usage.utilization) return { ...usage, reported: report }
  return {
    ...usage,
    reported: report,
    utilization: report.utilization,
    freesAt: report.resetsAt ?? usage.freesAt,
  }
}

/** Where a window's figure comes from. */
export type UseSource = 'usage-report' | 'runs' | 'claude-logs' | 'runs-and-logs'

export function sourceOfUse(usage: WindowUsage): UseSource {
  if (usage.reported && usage.reported.utilization >= usage.used / usage.limit) {
    // A report of 0% next to a count of 0 says the same; the report is the one that looked.
    return 'usage-report'
  }
  const logs = usage.fromLogs ?? 0
  if (logs > 0 && logs >= usage.used) return 'claude-logs'
  return logs > 0 ? 'runs-and-logs' : 'runs'
}

const SOURCE_WORDS: Record<UseSource, string> = {
  'usage-report': 'from Claude’s usage report',
  runs: 'from this factory’s runs',
  'claude-logs': 'from Claude Code’s logs',
  'runs-and-logs': 'from this factory’s runs and Claude Code’s logs',
}

/** "from Claude’s usage report", "from this factory’s runs". */
export function describeUseSource(source: UseSource): string {
  return SOURCE_WORDS[source]
}

/** What the lane's figures leave out, or null: "Claude Code’s logs and usage report are off". */
export function sourcesLeftOut(sources: LaneSources | undefined): string | null {
  const off = [
    !sources?.claudeLogs ? 'Claude Code’s logs' : null,
    !sources?.usageReport ? 'Claude’s usage report' : null,
  ].filter((name): name is string => name !== null)
  if (!off.length) return null
  return `${off.join(' and ')} ${off.length === 1 ? 'is' : 'are'} off for this lane, so work done outside this factory does not count`
}
