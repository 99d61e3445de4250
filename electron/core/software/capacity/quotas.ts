// How much of each quota window an agent has used: sums of the `usage` table (deltas, each with its
// time) over the window, so a run that straddles the window's start counts only what it used
// inside it. Tokens count input, output and cache writes; cache reads are left out because they
// cost a tenth of input and would drown the rest. The subscription's own report, when an agent
// reads it, raises a window of the same length to its figure (`withReport` in shared/quotas.ts).
import {
  laneSources,
  withReport,
  type AgentUsage,
  type QuotaWindow,
  type ReportedWindow,
  type WindowUsage,
} from '../../../../shared/quotas'
import { isHeld } from '../../../../shared/domain'
import { listAgents, requireAgent } from '../../agents'
import type { Ledger } from '../../db/ledger'
import { activeRunRows } from '../runs/runs'
import { currentReports } from '../usageSources/usageReport'

// Each sum split by source: the part from Claude Code's logs is said apart from the runs'.
const LOGS = `source = 'claude-logs'`
const sumOf = (column: string) =>
  `SELECT coalesce(sum(${column}), 0) AS used,
          coalesce(sum(CASE WHEN ${LOGS} THEN ${column} ELSE 0 END), 0) AS fromLogs,
          min(ts) AS oldest
   FROM usage WHERE agent = ? AND ts > ?`
const USED_SQL: Record<QuotaWindow['unit'], string> = {
  tokens: sumOf('input_tokens + output_tokens + cache_write_tokens'),
  usd: sumOf('cost_micros'),
  messages: sumOf('turns'),
  runs: `SELECT count(*) AS used, 0 AS fromLogs, min(created_at) AS oldest
         FROM runs WHERE agent = ? AND created_at > ?`,
}

/** The window's use counted in the ledger (runs and imported logs), before any report. */
export function windowUsage(
  ledger: Ledger,
  agent: string,
  window: QuotaWindow,
  now: number,
): WindowUsage {
  const row = ledger.statement(USED_SQL[window.unit]).get(agent, now - window.durationMs) as {
    used: number
    fromLogs: number
    oldest: number | null
  }
  return {
    ...window,
    used: row.used,
    utilization: row.used / window.limit,
    freesAt: row.oldest === null ? null : row.oldest + window.durationMs,
    ...(row.fromLogs > 0 ? { fromLogs: row.fromLogs } : {}),
  }
}

/** Each window's use, merged from every source the lane has (shared/quotas.ts says how). */
export function agentWindows(
  ledger: Ledger,
  agent: string,
  quotas: QuotaWindow[],
  now: number,
  reports: ReportedWindow[] = [],
): WindowUsage[] {
  return quotas.map((window) => withReport(windowUsage(ledger, agent, window, now), reports, now))
}

/** Every agent's (or one agent's) capacity now: windows, running count, pause, sources. */
export function readUsage(ledger: Ledger, now: number, only?: string): AgentUsage[] {
  const running = new Map<string, number>()
  const waiting = new Map<string, number>()
  for (const run of activeRunRows(ledger)) {
    const counts = run.state === 'queued' ? waiting : running
    counts.set(run.agent, (counts.get(run.agent) ?? 0) + 1)
  }
  const agents = only ? [requireAgent(ledger, only)] : listAgents(ledger)
  const reports = currentReports(ledger, now, only)
  return agents.map((agent) => {
    const reported = reports.get(agent.name) ?? []
    const held = isHeld(agent, now)
    return {
      agent: agent.name,
      plan: agent.plan,
      enabled: agent.enabled,
      running: running.get(agent.name) ?? 0,
      waiting: waiting.get(agent.name) ?? 0,
      maxConcurrent: agent.maxConcurrent,
      windows: agentWindows(ledger, agent.name, agent.quotas, now, reported),
      pausedUntil: held ? agent.pausedUntil : null,
      pausedIndefinitely: held && agent.pausedUntil === null,
      pauseReason: held ? agent.pauseReason : null,
      probing: agent.quotaStrikes > 0,
      sources: laneSources(agent.usageSources),
      ...(reported.length ? { reports: reported } : {}),
    }
  })
}
