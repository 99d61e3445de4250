// The words and numbers of the saturation view, in each window's own units: "1.3M of 2M tokens per
// 5h", "$40 of $200 per 7d", "64%".
import { formatQuotaAmount, formatUsedOf, type LaneSources } from '../../../../shared/quotas'
import type { IdleQuota, UsageTotals } from '../../../../shared/saturation'

export function formatShare(share: number): string {
  // Two hours held in a week is not "0%": a share that is there but rounds away says so.
  if (share > 0 && share < 0.005) return '<1%'
  return `${Math.round(share * 100)}%`
}

/**
 * "1.3M of 2M tokens per 5h": the idle capacity of an average window over the week, so it reads
 * against the limit the user set.
 */
export function idlePerWindow(quota: IdleQuota): string {
  const windows = quota.capacity / quota.limit
  const idle = windows > 0 ? quota.idle / windows : 0
  return `${formatUsedOf(quota.unit, idle, quota.limit)} per ${quota.window}`
}

/** "16.8M of 67.2M tokens": the week's idle capacity against its whole capacity. */
export function idleOfCapacity(quota: Pick<IdleQuota, 'unit' | 'idle' | 'capacity'>): string {
  return formatUsedOf(quota.unit, quota.idle, quota.capacity)
}

/** "3.2M tokens · $12.40 · 40 messages · 5 runs", leaving out what is zero. */
export function describeUsage(used: UsageTotals): string {
  const parts = (['tokens', 'usd', 'messages', 'runs'] as const)
    .filter((unit) => used[unit] > 0)
    .map((unit) => formatQuotaAmount(unit, used[unit]))
  return parts.length ? parts.join(' · ') : 'nothing'
}

/**
 * Where a lane's figures come from, said once per lane: "From Claude’s usage report and this
 * factory’s runs", "From this factory’s runs only (Claude Code’s logs and usage report are off)".
 */
export function weekSource(week: { byReport: boolean; sources: LaneSources }): string {
  const counted = week.sources.claudeLogs
    ? 'this factory’s runs and Claude Code’s logs'
    : 'this factory’s runs'
  if (week.byReport) return `From Claude’s usage report where it read higher than ${counted}`
  if (week.sources.claudeLogs && week.sources.usageReport) return `From ${counted}`
  const off = [
    week.sources.claudeLogs ? null : 'Claude Code’s logs',
    week.sources.usageReport ? null : 'usage report',
  ].filter(Boolean)
  return `From ${counted} only (${off.join(' and ')} ${off.length === 1 ? 'is' : 'are'} off)`
}
