// Reads every agent's optional usage sources (Claude Code's logs, the subscription's report), as
// each agent has them switched on: once on request (`usage/sync`), and every few minutes in the
// long-lived hosts (UsageSourceWatch). One source failing is a line in the summary, never a throw.
import type { Agent } from '../../../../shared/domain'
import type { UsageSourceSync } from '../../../../shared/quotas'
import { listAgents, requireAgent } from '../../agents'
import type { Ledger } from '../../db/ledger'
import { claudeProjectsDir, importClaudeLogs } from './claudeLogs'
import { fetchUsageReport, storeUsageReport } from './usageReport'

export type UsageSourceName = UsageSourceSync['source']

export interface SyncOptions {
  now: number
  /** One agent only; by default every agent. */
  only?: string
  /** Which of the switched-on sources to read now; by default all of them. */
  wants?: (agent: string, source: UsageSourceName) => boolean
  /** For tests: the home folder the default paths are under, and the report's timeout. */
  home?: string
  timeoutMs?: number
}

/** Syncs run one after another per ledger: two would read the same bytes and race on cursors. */
const queues = new WeakMap<Ledger, Promise<unknown>>()

export function syncUsageSources(ledger: Ledger, options: SyncOptions): Promise<UsageSourceSync[]> {
  // Checked now, so an unknown agent is refused before anything waits in the queue; as a
  // rejection, not a throw, since callers of an asynchronous operation await it.
  let agents: Agent[]
  try {
    agents = options.only ? [requireAgent(ledger, options.only)] : listAgents(ledger)
  } catch (error) {
    return Promise.reject(error as Error)
  }
  const previous = queues.get(ledger) ?? Promise.resolve()
  const next = previous.then(
    () => syncAgents(ledger, agents, options),
    () => syncAgents(ledger, agents, options),
  )
  queues.set(ledger, next)
  return next
}

async function syncAgents(
  ledger: Ledger,
  agents: Agent[],
  options: SyncOptions,
): Promise<UsageSourceSync[]> {
  const wants = options.wants ?? (() => true)
  const owners = logFolderOwners(ledger, options.home)
  const results: UsageSourceSync[] = []
  for (const agent of agents) {
    const { claudeLogs, usageReport } = agent.usageSources
    if (claudeLogs?.enabled && wants(agent.name, 'claude-logs')) {
      results.push(await syncClaudeLogs(ledger, agent, owners, options))
    }
    if (usageReport?.enabled && wants(agent.name, 'usage-report')) {
      results.push(await syncUsageReport(ledger, agent, options))
    }
  }
  return results
}

/**
 * Which agent a Claude folder's logs count for: the first agent (by creation) that reads it. A
 * message is imported once, so two agents reading one folder would split it by who synced first.
 */
function logFolderOwners(ledger: Ledger, home: string | undefined): Map<string, string> {
  const owners = new Map<string, string>()
  for (const agent of listAgents(ledger)) {
    const logs = agent.usageSources.claudeLogs
    if (!logs?.enabled) continue
    const dir = claudeProjectsDir({ dir: logs.dir, home })
    if (!owners.has(dir)) owners.set(dir, agent.name)
  }
  return owners
}

async function syncClaudeLogs(
  ledger: Ledger,
  agent: Agent,
  owners: Map<string, string>,
  options: SyncOptions,
): Promise<UsageSourceSync> {
  const summary = {
    agent: agent.name,
    source: 'claude-logs' as const,
    rows: 0,
    updated: 0,
    files: 0,
    skipped: { malformed: 0, tooLong: 0, factoryRuns: 0 },
  }
  const paths = { dir: agent.usageSources.claudeLogs?.dir ?? null, home: options.home }
  const dir = claudeProjectsDir(paths)
  const owner = owners.get(dir)
  if (owner !== undefined && owner !== agent.name) {
    return {
      ...summary,
      error: `${dir} is ${owner}'s Claude folder already: one account's logs count for one agent`,
    }
  }
  try {
    return { ...summary, ...(await importClaudeLogs(ledger, agent.name, paths)), error: null }
  } catch (error) {
    return { ...summary, error: (error as Error).message }
  }
}

async function syncUsageReport(
  ledger: Ledger,
  agent: Agent,
  options: SyncOptions,
): Promise<UsageSourceSync> {
  const settings = agent.usageSources.usageReport
  try {
    const windows = await fetchUsageReport({
      baseUrl: settings?.baseUrl ?? null,
      credentialsFile: settings?.credentialsFile ?? null,
      now: options.now,
      ...(options.home ? { home: options.home } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    })
    storeUsageReport(ledger, agent.name, windows)
    return { agent: agent.name, source: 'usage-report', windows, error: null }
  } catch (error) {
    // UsageReportError messages are written never to hold the token; anything else is the
    // ledger's own (busy, closed), which has none either.
    return {
      agent: agent.name,
      source: 'usage-report',
      windows: [],
      error: (error as Error).message,
    }
  }
}

export interface WatchOptions {
  now?: () => number
  /** How often the logs are read (ms); the report is asked for less often (it rate-limits). */
  logsEveryMs?: number
  reportEveryMs?: number
  /** The longest wait after failed reports in a row (ms). */
  reportBackoffMaxMs?: number
}

/**
 * The long-lived hosts' background sync: Claude logs every minute, the report every five minutes,
 * a report that failed asked for again later and later (429s last a while), timers that never keep
 * a process alive, and one sync at a time.
 */
export class UsageSourceWatch {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private readonly nextReport = new Map<string, { at: number; failures: number }>()
  private stopped = false
  private readonly now: () => number
  private readonly logsEveryMs: number
  private readonly reportEveryMs: number
  private readonly backoffMaxMs: number

  constructor(
    private readonly ledger: Ledger,
    options: WatchOptions = {},
  ) {
    this.now = options.now ?? Date.now
    this.logsEveryMs = options.logsEveryMs ?? 60_000
    this.reportEveryMs = options.reportEveryMs ?? 300_000
    this.backoffMaxMs = options.reportBackoffMaxMs ?? 3_600_000
  }

  start(): void {
    if (this.timer) return
    this.timer = setInterval(() => void this.tick(), this.logsEveryMs)
    this.timer.unref()
    // The first sync soon after start, not at once: a host's start is not slowed by it.
    setTimeout(() => void this.tick(), 1000).unref()
  }

  /** One round: the logs, and the reports that are due. Resolves when it is done. */
  tick(): Promise<void> {
    this.running ??= this.round().finally(() => (this.running = undefined))
    return this.running
  }

  private async round(): Promise<void> {
    if (this.stopped) return
    const now = this.now()
    const due = (agent: string): boolean => (this.nextReport.get(agent)?.at ?? 0) <= now
    let results: UsageSourceSync[]
    try {
      results = await syncUsageSources(this.ledger, {
        now,
        wants: (agent, source) => source === 'claude-logs' || due(agent),
      })
    } catch {
      return // the ledger is busy or closing: the next round tries again
    }
    for (const result of results) {
      if (result.source !== 'usage-report') continue
      const failures = result.error ? (this.nextReport.get(result.agent)?.failures ?? 0) + 1 : 0
      const wait = Math.min(this.backoffMaxMs, this.reportEveryMs * 2 ** failures)
      this.nextReport.set(result.agent, { at: now + wait, failures })
    }
  }

  stop(): void {
    this.stopped = true
    clearInterval(this.timer)
    this.timer = undefined
  }
}
