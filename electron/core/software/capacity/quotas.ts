// How much of each quota window an agent has used: sums of the `usage` table (deltas, each with its
// time) over the window, so a run that straddles the window's start counts only what it used
// inside it. Tokens count input, output and cache writes; cache reads are left out because they
// cost a tenth of input and would drown the rest. The subscription's own report, when an agent
// reads it, raises a window of the same length to its figure (usageSources/usageReport.ts).
import type {
  AgentUsage,
  QuotaWindow,
  ReportedWindow,
  WindowUsage,
} from '../../../../shared/quotas'
import { isHeld } from '../../../../shared/domain'
import { listAgents, requireAgent } from '../../agents'
import type { Ledger } from '../../db/ledger'
import { activeRunRows } from '../runs/runs'
import { currentReports, withReport } from '../usageSources/usageReport'

const USED_SQL: Record<QuotaWindow['unit'], string> = {
  tokens: `SELECT coalesce(sum(input_tokens + output_tokens + cache_write_tokens), 0) AS used,
                  min(ts) AS oldest
           FROM usage WHERE agent = ? AND ts > ?`,
  usd: `SELECT coalesce(sum(cost_micros), 0) AS used, min(ts) AS oldest
        FROM usage WHERE agent = ? AND ts > ?`,
  messages: `SELECT coalesce(sum(turns), 0) AS used, min(ts) AS oldest
             FROM usage WHERE agent = ? AND ts > ?`,
  runs: `SELECT count(*) AS used, min(created_at) AS oldest
         FROM runs WHERE agent = ? AND created_at > ?`,
}

export function windowUsage(
  ledger: Ledger,
  agent: string,
  window: QuotaWindow,
  now: number,
): WindowUsage {
  const row = ledger.statement(USED_SQL[window.unit]).get(agent, now - window.durationMs) as {
    used: number
    oldest: number | null
  }
  return {
    ...window,
    used: row.used,
    utilization: row.used / window.limit,
    freesAt: row.oldest === null ? null : row.oldest + window.durationMs,
  }
}

export function agentWindows(
  ledger: Ledger,
  agent: string,
  quotas: QuotaWindow[],
  now: number,
  reports: ReportedWindow[] = [],
): WindowUsage[] {
  return quotas.map((window) => withReport(windowUsage(ledger, agent, window, now), reports))
}

/** Every agent's (or one agent's) capacity now: windows, running count, pause. */
export function readUsage(ledger: Ledger, now: number, only?: string): AgentUsage[] {
  const running = new Map<string, number>()
  for (const run of activeRunRows(ledger)) running.set(run.agent, (running.get(run.agent) ?? 0) + 1)
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
      maxConcurrent: agent.maxConcurrent,
      windows: agentWindows(ledger, agent.name, agent.quotas, now, reported),
      pausedUntil: held ? agent.pausedUntil : null,
      pausedIndefinitely: held && agent.pausedUntil === null,
      pauseReason: held ? agent.pauseReason : null,
      probing: agent.quotaStrikes > 0,
      ...(reported.length ? { reports: reported } : {}),
    }
  })
}
