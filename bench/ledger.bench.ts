// Event append throughput: our ledger against raw better-sqlite3 inserts into an identical table,
// in the same run, same file settings (WAL, synchronous=NORMAL), same triggers and index.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { openLedger } from '../electron/core/db/ledger'
import { tempDir } from '../electron/core/testing'
import { line, median, rate, timeMs } from './measure'

const SINGLE = 20_000
const BATCH = 1_000
const BATCHES = 100
const ROUNDS = 5

export function benchAppend(): void {
  const { dir, cleanup } = tempDir('factory-bench-')
  const ledger = openLedger({ path: join(dir, 'ledger.db') })
  // The raw baseline gets the ledger's own schema (same triggers, index and pragmas).
  const raw = new Database(join(dir, 'ledger.db'))
  raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = NORMAL')
  const insert = raw.prepare(
    'INSERT INTO events (ts, type, subject, actor, payload) VALUES (?, ?, ?, ?, ?)',
  )
  const payload = { title: 'Pricing page', stage: 'idea', tags: ['growth'] }
  const rawOne = raw.transaction(() =>
    insert.run(Date.now(), 'spec.edited', 's_1', 'bench', JSON.stringify(payload)),
  )
  const rawMany = raw.transaction(() => {
    for (let i = 0; i < BATCH; i++)
      insert.run(Date.now(), 'spec.edited', 's_1', 'bench', JSON.stringify(payload))
  })

  const single = { ours: [] as number[], raw: [] as number[] }
  const batched = { ours: [] as number[], raw: [] as number[] }
  for (let round = 0; round < ROUNDS; round++) {
    single.raw.push(
      timeMs(() => {
        for (let i = 0; i < SINGLE; i++) rawOne()
      }),
    )
    single.ours.push(
      timeMs(() => {
        for (let i = 0; i < SINGLE; i++)
          ledger.change('bench', (c) => c.append({ type: 'spec.edited', subject: 's_1', payload }))
      }),
    )
    batched.raw.push(
      timeMs(() => {
        for (let b = 0; b < BATCHES; b++) rawMany()
      }),
    )
    batched.ours.push(
      timeMs(() => {
        for (let b = 0; b < BATCHES; b++)
          ledger.change('bench', (c) => {
            for (let i = 0; i < BATCH; i++)
              c.append({ type: 'spec.edited', subject: 's_1', payload })
          })
      }),
    )
  }
  const s = { ours: median(single.ours), raw: median(single.raw) }
  const b = { ours: median(batched.ours), raw: median(batched.raw) }
  const singleRatio = s.raw / s.ours
  const batchRatio = b.raw / b.ours
  console.log('\nEvent append (WAL, synchronous=NORMAL in both; median of 5 rounds)')
  console.log(
    `  single-event transactions: ours ${rate(SINGLE, s.ours)}, raw one-row transaction ${rate(SINGLE, s.raw)}`,
  )
  console.log(
    `  batched (${BATCH}/transaction):     ours ${rate(BATCH * BATCHES, b.ours)}, raw insert loop ${rate(BATCH * BATCHES, b.raw)}`,
  )
  line(
    'append, single-event vs raw one-row txn',
    `${singleRatio.toFixed(2)}×`,
    '≥ 0.80×',
    singleRatio >= 0.8,
  )
  line(
    'append, batched vs raw insert loop',
    `${batchRatio.toFixed(2)}×`,
    '≥ 0.50×',
    batchRatio >= 0.5,
  )
  raw.close()
  ledger.close()
  cleanup()
}
