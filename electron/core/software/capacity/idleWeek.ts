// "Idle quota this week": for each agent with quota windows, what each window allowed over the last
// 7 days, what was used and what was left unused, in the window's own unit. Counted over the week
// as a whole, not bucket by bucket: a window carries use over (a burst spends what a quiet hour left
// in the same window), so only the week's total says what was truly left on the table.
import type { QuotaUnit, QuotaWindow } from '../../../../shared/quotas'
import {
  DAY_MS,
  IDLE_WEEK_DAYS,
  type AgentIdleWeek,
  type IdleQuota,
  type IdleWeek,
} from '../../../../shared/saturation'
import { FINE_MS, usedBetween, type AgentUse } from './usageBuckets'

const WEEK_MS = IDLE_WEEK_DAYS * DAY_MS

/**
 * Where the week's usage starts: 7 days ago, down to its 5-minute bucket (usage is summed in those
 * buckets, so up to 5 minutes more use may count; capacity is counted over exactly 7 days).
 */
export function idleWeekStart(now: number): number {
  return Math.floor((now - WEEK_MS) / FINE_MS) * FINE_MS
}

export function readIdleWeek(uses: AgentUse[], now: number): IdleWeek {
  const from = idleWeekStart(now)
  // Through the end of the bucket holding `now`.
  const length = (Math.floor(now / FINE_MS) + 1) * FINE_MS - from
  const agents: AgentIdleWeek[] = []
  for (const use of uses) {
    const capacityFrom = Math.floor(use.capacityFrom / FINE_MS) * FINE_MS
    const withCapacity = now - Math.max(now - WEEK_MS, capacityFrom)
    if (!use.agent.quotas.length || withCapacity <= 0) continue
    const windows = use.agent.quotas.map((window) =>
      idleQuota(window, usedBetween(use, window.unit, from, length), withCapacity),
    )
    const binding = windows.reduce((tightest, w) =>
      w.idleShare < tightest.idleShare ? w : tightest,
    )
    agents.push({
      agent: use.agent.name,
      since: Math.max(now - WEEK_MS, capacityFrom),
      binding,
      windows,
    })
  }
  return {
    from: now - WEEK_MS,
    to: now,
    agents,
    idleShare: agents.length
      ? agents.reduce((sum, a) => sum + a.binding.idleShare, 0) / agents.length
      : null,
    totals: totals(agents),
  }
}

function idleQuota(window: QuotaWindow, used: number, withCapacity: number): IdleQuota {
  // Units are integers (tokens, micro-dollars, messages, runs): so are the figures shown.
  const capacity = Math.round((window.limit * withCapacity) / window.durationMs)
  const idle = Math.max(0, capacity - used)
  return { ...window, capacity, used, idle, idleShare: capacity > 0 ? idle / capacity : 0 }
}

function totals(agents: AgentIdleWeek[]): IdleWeek['totals'] {
  const byUnit = new Map<QuotaUnit, IdleWeek['totals'][number]>()
  for (const { binding } of agents) {
    const total = byUnit.get(binding.unit) ?? { unit: binding.unit, capacity: 0, used: 0, idle: 0 }
    total.capacity += binding.capacity
    total.used += binding.used
    total.idle += binding.idle
    byUnit.set(binding.unit, total)
  }
  return [...byUnit.values()]
}
