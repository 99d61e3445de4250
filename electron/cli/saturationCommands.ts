// `factory saturation`: the saturation view in a terminal — each agent's average and peak
// utilization over the range, the portfolio, and the quota left idle over the last 7 days.
import { formatQuotaAmount, formatUsedOf } from '../../shared/quotas'
import type { Saturation } from '../../shared/saturation'
import { intOption, none, str } from './args'
import type { Command } from './commands'
import { table } from './print'

const percent = (value: number | null): string =>
  value === null ? '–' : `${Math.round(value * 100)}%`

function summary(values: (number | null)[] | null): {
  average: number | null
  peak: number | null
} {
  const known = (values ?? []).filter((v): v is number => v !== null)
  if (known.length === 0) return { average: null, peak: null }
  return {
    average: known.reduce((sum, v) => sum + v, 0) / known.length,
    peak: Math.max(...known),
  }
}

export function printSaturation(saturation: Saturation, days: number): string {
  const bucket = saturation.bucketMs === 3_600_000 ? 'hour' : '5-minute'
  const lines = [
    `Utilization over the last ${days} day${days === 1 ? '' : 's'} (${bucket} buckets; 100% = a full quota window)`,
  ]
  const idle = new Map(saturation.week.agents.map((a) => [a.agent, a]))
  const rows = [['AGENT', 'AVERAGE', 'PEAK', 'IDLE THIS WEEK']]
  const withoutWindows: string[] = []
  for (const agent of saturation.agents) {
    if (agent.utilization === null) {
      withoutWindows.push(
        `${agent.agent}: no quota windows (${formatQuotaAmount('tokens', agent.used.tokens)} used)`,
      )
      continue
    }
    const { average, peak } = summary(agent.utilization)
    const week = idle.get(agent.agent)?.binding
    rows.push([
      agent.agent,
      percent(average),
      percent(peak),
      week
        ? `${percent(week.idleShare)}: ${formatUsedOf(week.unit, week.idle, week.capacity)} (${week.window} ${week.unit})`
        : '–',
    ])
  }
  if (rows.length === 1 && withoutWindows.length === 0) {
    return 'No agents yet. Add a lane: factory agent add bob --quota 5h:tokens:2000000'
  }
  if (rows.length > 1) {
    rows.push([
      'portfolio',
      percent(summary(saturation.portfolio).average),
      percent(summary(saturation.portfolio).peak),
      percent(saturation.week.idleShare),
    ])
    lines.push(table(rows))
  }
  if (withoutWindows.length) {
    lines.push(
      ...withoutWindows,
      'Give them a window to see their utilization: factory agent set NAME --quota 5h:tokens:2000000',
    )
  }
  return lines.join('\n')
}

export const saturationCommands: Record<string, Command> = {
  saturation: {
    usage: 'factory saturation [--days 1..30] [--bucket hour|5min] [--json]',
    readsOnly: true,
    summary: 'utilization per agent over time, the portfolio, and idle quota this week',
    options: { days: { type: 'string' }, bucket: { type: 'string' } },
    run(c) {
      none(c)
      const days = intOption(c, 'days') ?? 7
      const saturation = c.call('usage/saturation', {
        days,
        bucket: (str(c.values.bucket) ?? 'hour') as never,
      })
      return { json: saturation, text: printSaturation(saturation, days) }
    },
  },
}
