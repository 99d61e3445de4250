// The `factory` side of the optional usage sources: the agent flags that switch them
// (--claude-logs, --usage-report, --usage-report-url, --credentials) and `factory usage sync`.
import { isAbsolute, resolve } from 'node:path'
import { formatClock, formatCount, formatDuration } from '../../shared/format'
import type { ReportedWindow, UsageSourceSync, UsageSources } from '../../shared/quotas'
import { none, str } from './args'
import type { Command, CommandContext, OptionSpec } from './commands'

export const usageSourceOptions: OptionSpec = {
  'claude-logs': { type: 'string' },
  'usage-report': { type: 'string' },
  'usage-report-url': { type: 'string' },
  credentials: { type: 'string' },
}

const absolute = (path: string): string => (isAbsolute(path) ? path : resolve(path))

/**
 * The agent's usage sources with the flags given merged into what it has (read through
 * `current`, only when a flag is given); undefined when no flag is given (edit keeps them).
 */
export function usageSourceFlags(
  c: CommandContext,
  current: () => UsageSources,
): UsageSources | undefined {
  const logs = str(c.values['claude-logs'])
  const report = str(c.values['usage-report'])
  const url = str(c.values['usage-report-url'])
  const credentials = str(c.values.credentials)
  if ([logs, report, url, credentials].every((flag) => flag === undefined)) return undefined
  if (report !== undefined && report !== 'on' && report !== 'off') {
    c.usage(`--usage-report takes on or off, not "${report}"`)
  }
  const sources = { ...current() }
  if (logs !== undefined) {
    const before = sources.claudeLogs ?? { enabled: false, dir: null }
    // on, off, or a folder (which also switches it on).
    sources.claudeLogs =
      logs === 'on' || logs === 'off'
        ? { ...before, enabled: logs === 'on' }
        : { enabled: true, dir: absolute(logs) }
  }
  if (report !== undefined || url !== undefined || credentials !== undefined) {
    const before = sources.usageReport ?? { enabled: false, baseUrl: null, credentialsFile: null }
    sources.usageReport = {
      enabled: report === undefined ? before.enabled : report === 'on',
      baseUrl: url ?? before.baseUrl,
      credentialsFile: credentials === undefined ? before.credentialsFile : absolute(credentials),
    }
  }
  return sources
}

/** The report's own window names as people say them. */
const REPORT_NAMES: Record<string, string> = {
  five_hour: '5h',
  seven_day: '7d',
  seven_day_opus: '7d Opus',
  seven_day_sonnet: '7d Sonnet',
}

/** "subscription 5h: 24%, resets 15:59 (in 3h59m)"; a reset days away: "resets in 3d18h". */
export function describeReport(report: ReportedWindow, now: number): string {
  const name = REPORT_NAMES[report.window] ?? report.window
  const left = report.resetsAt === null ? 0 : Math.max(0, report.resetsAt - now)
  // A time of day alone would not say which day.
  const resets =
    report.resetsAt === null
      ? ''
      : left < 86_400_000
        ? `, resets ${formatClock(report.resetsAt)} (in ${formatDuration(left)})`
        : `, resets in ${formatDuration(left)}`
  return `subscription ${name}: ${Math.round(report.utilization * 100)}%${resets}`
}

function describeSync(result: UsageSourceSync, now: number): string {
  if (result.source === 'usage-report') {
    if (result.error) return `${result.agent} · usage report: ${result.error}`
    const windows = result.windows.map((w) => describeReport(w, now).replace('subscription ', ''))
    return `${result.agent} · usage report: ${windows.join('; ') || 'no windows'}`
  }
  if (result.error) return `${result.agent} · Claude logs: ${result.error}`
  const { rows, updated, files, skipped } = result
  const read = [
    `${formatCount(rows)} message${rows === 1 ? '' : 's'} added`,
    ...(updated ? [`${formatCount(updated)} completed`] : []),
    `${files} file${files === 1 ? '' : 's'} read`,
  ]
  const passed = [
    skipped.malformed ? `${skipped.malformed} unreadable` : '',
    skipped.tooLong ? `${skipped.tooLong} too long` : '',
    skipped.factoryRuns ? `${skipped.factoryRuns} from the factory's own runs` : '',
  ].filter(Boolean)
  return `${result.agent} · Claude logs: ${read.join(', ')}${passed.length ? `; lines skipped: ${passed.join(', ')}` : ''}`
}

export const usageSourceCommands: Record<string, Command> = {
  'usage sync': {
    usage: 'factory usage sync [--agent NAME]',
    summary: "read agents' Claude Code logs and subscription usage reports now",
    options: { agent: { type: 'string' } },
    async run(c) {
      none(c)
      const agent = str(c.values.agent)
      const results = await c.call('usage/sync', agent ? { agent } : {})
      const failed = results.some((result) => result.error !== null)
      const text = results.length
        ? results.map((result) => describeSync(result, Date.now())).join('\n')
        : `No usage sources are on${agent ? ` for ${agent}` : ''} (factory agent set NAME --claude-logs on, --usage-report on)`
      return { json: results, text, exitCode: failed ? 1 : 0 }
    },
  },
}
