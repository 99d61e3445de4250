// The allocator: one round with 50 agents (each with quota windows and usage behind them) and
// 10,000 ready specs, on a real ledger. The round reads the queue and every lane's capacity, then
// plans; the baseline is a bare better-sqlite3 read of the same 10,000 queued rows.
import { join } from 'node:path'
import { createEngine } from '../electron/core/engine'
import { queuedSpecs } from '../electron/core/software/capacity/allocate'
import { planAllocation } from '../electron/core/software/capacity/allocator'
import { readUsage } from '../electron/core/software/capacity/quotas'
import { tempDir } from '../electron/core/testing'
import { line, median, timeMs } from './measure'

const AGENTS = 50
const SPECS = 10_000
const USAGE_ROWS_PER_AGENT = 200

export function benchAllocator(): void {
  const { dir, cleanup } = tempDir('factory-bench-')
  const engine = createEngine({ dbPath: join(dir, 'ledger.db') })
  const { ledger } = engine
  for (let a = 0; a < AGENTS; a++) {
    engine.call(
      'agent/add',
      {
        name: `agent${a}`,
        runner: 'claude',
        maxConcurrent: 2,
        quotas: ['5h:tokens:2000000', '7d:usd:200', '5h:runs:40'],
      },
      'bench',
    )
  }
  ledger.change('bench', (c) => {
    const usage = ledger.sqlite.prepare(
      'INSERT INTO usage (agent, ts, input_tokens, output_tokens, cost_micros, turns) VALUES (?, ?, ?, ?, ?, 1)',
    )
    for (let a = 0; a < AGENTS; a++) {
      for (let i = 0; i < USAGE_ROWS_PER_AGENT; i++) {
        usage.run(`agent${a}`, c.now - i * 60_000, 1000 + a * 10, 500, 20_000)
      }
    }
    const spec = ledger.sqlite.prepare(
      `INSERT INTO specs (id, title, stage, status, agent, source, priority, created_at, updated_at)
       VALUES (?, ?, 'software', 'queued', ?, 'bench', ?, ?, ?)`,
    )
    for (let i = 1; i <= SPECS; i++) {
      // One in ten is pinned to a lane; the rest are for the allocator to place.
      spec.run(
        `s_${i}`,
        `Spec ${i}`,
        i % 10 === 0 ? `agent${i % AGENTS}` : null,
        i % 5,
        c.now - i,
        c.now,
      )
    }
  })

  const raw = ledger.sqlite.prepare(
    `SELECT id, title, agent FROM specs WHERE stage = 'software' AND status = 'queued'
     ORDER BY priority DESC, created_at ASC`,
  )
  const baseline = median(Array.from({ length: 7 }, () => timeMs(() => raw.all())))
  let planned = 0
  const round = median(
    Array.from({ length: 7 }, () =>
      timeMs(() => {
        const queue = queuedSpecs(ledger)
        const plan = planAllocation({
          specs: queue.specs,
          total: queue.total,
          lanes: readUsage(ledger, ledger.now()),
          blocked: new Map(),
          globalFree: Infinity,
        })
        planned = plan.assign.length
        // Every spec is accounted for, whether the round read it or only counted it.
        const counted = plan.assign.length + plan.waiting.length + plan.moreWaiting
        if (counted !== SPECS)
          throw new Error(`the round accounted for ${counted} specs, not ${SPECS}`)
      }),
    ),
  )
  const planOnly = (() => {
    const specs = [...queuedSpecs(ledger).specs]
    const lanes = readUsage(ledger, ledger.now())
    return median(
      Array.from({ length: 7 }, () =>
        timeMs(() => planAllocation({ specs, lanes, blocked: new Map(), globalFree: Infinity })),
      ),
    )
  })()
  line(
    `allocator round, ${AGENTS} agents × ${SPECS.toLocaleString('en-US')} specs`,
    `${round.toFixed(1)} ms (${planned} dispatched; plan alone ${planOnly.toFixed(1)} ms)`,
    '< 50 ms',
    round < 50,
  )
  line(
    '  vs bare read of the queued rows',
    `${(round / baseline).toFixed(2)}× (${baseline.toFixed(1)} ms)`,
    'context',
    true,
  )
  engine.close()
  cleanup()
}
