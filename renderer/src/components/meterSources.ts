// Whether the lane meters name where their figures came from. A chip is there to tell lanes
// apart: when every meter on the board counts the same way (all "runs only", say) none shows one,
// and each meter's tooltip says the source; when they differ, every meter names its own.
import {
  sourceOfUse,
  type AgentUsage,
  type ReportedWindow,
  type UseSource,
} from '../../../shared/quotas'

const CHIPS: Record<UseSource, string> = {
  'usage-report': 'reported',
  'runs-and-logs': 'runs + logs',
  'claude-logs': 'logs',
  runs: 'runs only',
}

/** Reported windows no quota window of the same length shows already (drawn as meters of their own). */
export function unmatchedReports(usage: AgentUsage): ReportedWindow[] {
  const shown = new Set(usage.windows.filter((w) => w.reported).map((w) => w.reported!.window))
  return (usage.reports ?? []).filter((report) => !shown.has(report.window))
}

/** Whether the board's meters get their figures from more than one kind of source. */
export function sourcesDiffer(usages: readonly AgentUsage[]): boolean {
  const sources = new Set<UseSource>()
  for (const usage of usages) {
    for (const window of usage.windows) sources.add(sourceOfUse(window))
    if (unmatchedReports(usage).length > 0) sources.add('usage-report')
  }
  return sources.size > 1
}

/** The chip a meter shows ("runs only", "reported"), or null when the board's meters agree. */
export function sourceChip(source: UseSource, differ: boolean): string | null {
  return differ ? CHIPS[source] : null
}
