// `factory saturation`: the saturation view in a terminal — each agent's average and peak
// utilization over the range, the portfolio, and where the last 7 days' capacity went: used, idle
// (unused while the lane could work) and blocked (unused while it was held, paused or disabled).
import { formatDuration } from '../../shared/format'
import { formatQuotaAmount } from '../../shared/quotas'
import type { AgentIdleWeek } from '../../shared/saturation'
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

function weekLine(week: AgentIdleWeek): string {
  return `used ${percent(week.usedShare)} · idle ${percent(week.idleShare)} · blocked ${percent(week.blockedShare)}`
}

export function printSaturation(saturation: Saturation, days: number): string {
  const bucket = saturation.bucketMs === 3_600_000 ? 'hour' : '5-minute'
  // The figures start where the data does: a first day is not reported as a week.
  const fitted = saturation.dataFrom !== null && saturation.dataFrom > saturation.from
  const over = fitted
    ? `since the first lane began, ${formatDuration(Math.max(60_000, saturation.now - saturation.dataFrom!))} ago`
    : `over the last ${days} day${days === 1 ? '' : 's'}`
  const lines = [`Utilization ${over} (${bucket} buckets; 100% = a full quota window)`]
  const idle = new Map(saturation.week.agents.map((a) => [a.agent, a]))
  const rows = [['AGENT', 'AVERAGE', 'PEAK', 'THIS WEEK']]
  const notes: string[] = []
  const withoutWindows: string[] = []
  for (const agent of saturation.agents) {
    if (agent.utilization === null) {
      withoutWindows.push(
        `${agent.agent}: no quota windows (${formatQuotaAmount('tokens', agent.used.tokens)} used)`,
      )
      continue
    }
    const { average, peak } = summary(agent.utilization)
    const week = idle.get(agent.agent)
    rows.push([agent.agent, percent(average), percent(peak), week ? weekLine(week) : '–'])
    if (week && week.blockedMs > 0) {
      notes.push(
        `${agent.agent}: blocked ${formatDuration(Math.max(60_000, Math.round(week.blockedMs / 60_000) * 60_000))} this week (held, paused or disabled)`,
      )
    }
    if (week?.byReport) notes.push(`${agent.agent}: some figures are Claude's usage report`)
  }
  if (rows.length === 1 && withoutWindows.length === 0) {
    return 'No agents yet. Add a lane: factory agent add bob --quota 5h:tokens:2000000'
  }
  if (rows.length > 1) {
    rows.push([
      'portfolio',
      percent(summary(saturation.portfolio).average),
      percent(summary(saturation.portfolio).peak),
      saturation.week.idleShare === null
        ? '–'
        : `idle ${percent(saturation.week.idleShare)} · blocked ${percent(saturation.week.blockedShare)}`,
    ])
    lines.push(table(rows), ...notes)
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
