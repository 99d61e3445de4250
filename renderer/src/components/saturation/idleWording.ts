// The words and numbers of the saturation view, in each window's own units: "1.3M of 2M tokens per
// 5h", "$40 of $200 per 7d", "64%".
import { formatCount, formatUsd } from '../../../../shared/format'
import type { QuotaUnit } from '../../../../shared/quotas'
import type { IdleQuota, UsageTotals } from '../../../../shared/saturation'

export function formatShare(share: number): string {
  return `${Math.round(share * 100)}%`
}

/** An amount without its unit's name: "1.3M", "$40", "6.5". */
export function formatAmount(unit: QuotaUnit, amount: number): string {
  if (unit === 'usd') return formatUsd(Math.round(amount))
  if (unit === 'tokens' || amount >= 100) return formatCount(Math.round(amount))
  return String(Math.round(amount * 10) / 10)
}

/** An amount with its unit: "1.3M tokens", "$40", "12 messages", "1 run". */
export function formatWithUnit(unit: QuotaUnit, amount: number): string {
  const figure = formatAmount(unit, amount)
  if (unit === 'usd') return figure
  return `${figure} ${figure === '1' ? unit.replace(/s$/, '') : unit}`
}

/**
 * "1.3M of 2M tokens per 5h": the idle capacity of an average window over the week, so it reads
 * against the limit the user set.
 */
export function idlePerWindow(quota: IdleQuota): string {
  const windows = quota.capacity / quota.limit
  const idle = windows > 0 ? quota.idle / windows : 0
  const limit = formatWithUnit(quota.unit, quota.limit)
  return `${formatAmount(quota.unit, idle)} of ${limit} per ${quota.window}`
}

/** "16.8M of 67.2M tokens": the week's idle capacity against its whole capacity. */
export function idleOfCapacity(quota: Pick<IdleQuota, 'unit' | 'idle' | 'capacity'>): string {
  return `${formatAmount(quota.unit, quota.idle)} of ${formatWithUnit(quota.unit, quota.capacity)}`
}

/** "3.2M tokens · $12.40 · 40 messages · 5 runs", leaving out what is zero. */
export function describeUsage(used: UsageTotals): string {
  const parts = (['tokens', 'usd', 'messages', 'runs'] as const)
    .filter((unit) => used[unit] > 0)
    .map((unit) => formatWithUnit(unit, used[unit]))
  return parts.length ? parts.join(' · ') : 'nothing'
}
