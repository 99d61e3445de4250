// What one run costs on a lane, from its own history: the median of its last finished runs, in
// each quota unit. The allocator leaves that much headroom in every window before it starts a run
// there, so a run it starts is not one that will carry the lane past its line. A lane with no
// history yet has no estimate (and is judged by its windows alone).
import type { QuotaUnit } from '../../../../shared/quotas'
import type { Ledger } from '../../db/ledger'

export type RunCost = Partial<Record<QuotaUnit, number>>

/** How many of a lane's latest finished runs the estimate reads. */
const RECENT_RUNS = 10

const COSTS_SQL = `SELECT input_tokens + output_tokens + cache_write_tokens AS tokens,
         cost_micros AS usd, turns AS messages
  FROM runs WHERE agent = ? AND ended_at IS NOT NULL
  ORDER BY ended_at DESC LIMIT ${RECENT_RUNS}`

export function runCost(ledger: Ledger, agent: string): RunCost {
  const rows = ledger.statement(COSTS_SQL).all(agent) as Record<
    'tokens' | 'usd' | 'messages',
    number
  >[]
  // Every run counts one against a runs window, whatever it did.
  const cost: RunCost = { runs: 1 }
  if (rows.length === 0) return cost
  for (const unit of ['tokens', 'usd', 'messages'] as const) {
    cost[unit] = median(rows.map((row) => row[unit]))
  }
  return cost
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}
