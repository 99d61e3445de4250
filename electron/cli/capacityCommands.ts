// The `factory` commands for capacity: pausing and resuming lanes, and quota use per window.
import { runningWords } from '../../shared/availability'
import { formatClock, formatDuration, parseClockTime, parseDuration } from '../../shared/format'
import {
  describeUseSource,
  describeWindow,
  sourcesLeftOut,
  sourceOfUse,
  type AgentUsage,
} from '../../shared/quotas'
import { none, one, str } from './args'
import type { Command, CommandContext } from './commands'
import { describeReport } from './usageSourceCommands'

/** "2h" (from now), "14:05" (the next 14:05) or an ISO date and time → epoch ms. */
function untilOption(c: CommandContext, now: number): number | undefined {
  const text = str(c.values.until)
  if (text === undefined) return undefined
  const duration = parseDuration(text)
  if (duration !== undefined) return now + duration
  const at = parseClockTime(text, now) ?? Date.parse(text)
  if (Number.isNaN(at)) {
    c.usage(
      `--until takes a duration like 2h, a time like 14:05 or a date like 2026-11-25T14:05, not "${text}"`,
    )
  }
  if (at <= now) c.usage(`--until ${text} has already passed; give a time still to come`)
  return at
}

function pauseLine(usage: AgentUsage, now: number): string | null {
  if (usage.pausedIndefinitely) return `paused until resumed: ${usage.pauseReason}`
  if (usage.pausedUntil !== null) {
    return `paused until ${formatClock(usage.pausedUntil)} (in ${formatDuration(usage.pausedUntil - now)}): ${usage.pauseReason}`
  }
  return null
}

export function printCapacity(usages: AgentUsage[], now = Date.now()): string {
  if (usages.length === 0) return 'No agents yet. Add a lane: factory agent add bob --runner claude'
  return usages
    .map((usage) => {
      const head = `${usage.agent}${usage.plan ? ` (${usage.plan})` : ''}${usage.enabled ? '' : ' — disabled'}: ${runningWords(usage)}`
      const lines = usage.windows.map((window) => {
        const frees =
          window.freesAt && window.utilization > 0
            ? `, frees up in ${formatDuration(Math.max(0, window.freesAt - now))}`
            : ''
        return `  ${describeWindow(window)}${frees}; ${describeUseSource(sourceOfUse(window))}`
      })
      if (usage.windows.length === 0)
        lines.push('  no quota windows (factory agent set NAME --quota 5h:tokens:2000000)')
      else {
        const leftOut = sourcesLeftOut(usage.sources)
        if (leftOut) lines.push(`  ${leftOut}`)
      }
      // The subscription's report for windows no quota window shows (e.g. its Opus week).
      const shown = new Set(usage.windows.map((window) => window.reported?.window))
      for (const report of usage.reports ?? []) {
        if (!shown.has(report.window)) lines.push(`  ${describeReport(report, now)}`)
      }
      const pause = pauseLine(usage, now)
      if (pause) lines.push(`  ${pause}`)
      return [head, ...lines].join('\n')
    })
    .join('\n\n')
}

export const capacityCommands: Record<string, Command> = {
  'agent pause': {
    usage: 'factory agent pause NAME [--until 2h|14:05|2026-11-25T14:05] [--reason TEXT]',
    summary: 'hold a lane: nothing is dispatched to it until it resumes',
    options: { until: { type: 'string' }, reason: { type: 'string' } },
    run(c) {
      const until = untilOption(c, Date.now())
      const agent = c.call('agent/pause', {
        name: one(c, 'NAME'),
        ...(until !== undefined ? { until } : {}),
        reason: str(c.values.reason),
      })
      const when = agent.pausedUntil
        ? ` until ${formatClock(agent.pausedUntil)} (in ${formatDuration(agent.pausedUntil - Date.now())})`
        : ' until resumed'
      return { json: agent, text: `Paused ${agent.name}${when}` }
    },
  },
  'agent resume': {
    usage: 'factory agent resume NAME',
    summary: 'let a paused lane take work again',
    options: {},
    run(c) {
      const agent = c.call('agent/resume', { name: one(c, 'NAME') })
      return { json: agent, text: `Resumed ${agent.name}` }
    },
  },
  usage: {
    usage: 'factory usage [--agent NAME]',
    readsOnly: true,
    summary: 'quota use per window, running runs and pauses, per agent',
    options: { agent: { type: 'string' } },
    run(c) {
      none(c)
      // Running counts as they are: runs that ended while no app was open were recorded first,
      // as for every reading command (cli.ts).
      const usages = c.call('usage/get', { agent: str(c.values.agent) })
      return { json: usages, text: printCapacity(usages) }
    },
  },
}
