// A simulated week through the real engine: three fixture lanes with 5-hour and 7-day token
// windows, bursty spec supply with dependencies, some runs cut off by a limit; once with the
// allocator and once with a naive round-robin (the baseline), on the same week in the same run.
//
// Real: the ledger (a SQLite file, driven by a clock the bench sets through the Ledger's `now`),
// spec add/queue and dependencies, the allocator's rounds (allocateRound → planAllocation →
// dispatchRun, refusals and all), quota reading, the holding reactor (holds, strikes, probes), the
// failure classifier, and every ledger write a supervisor makes for a run.
// Simulated: time, ten minutes a step (the engine's host rounds every 3 s and on wakes; here after
// a step's commits, and when a hold or a full window ends by itself); the supervisor processes and
// agents (nothing is spawned: a run's usage and outcome are recorded at simulated minutes by
// runs.ts's own functions, week/fixtureRuns.ts); the subscriptions' meters (week/subscription.ts),
// rolling windows as the engine counts them; the week before, as usage rows, so 7-day windows roll
// during the week. The baseline round-robin polls every 30 minutes (week/roundRobin.ts).
import { join } from 'node:path'
import { createEngine } from '../electron/core/engine'
import { allocateRound } from '../electron/core/software/capacity/allocate'
import { fixtureCommand } from '../electron/core/software/runs/testing'
import { tempDir } from '../electron/core/testing'
import { line, timeMs } from './measure'
import { readIdle, weekFigures, type WeekFigures } from './week/figures'
import { FixtureRuns } from './week/fixtureRuns'
import { RoundRobin } from './week/roundRobin'
import { Subscription } from './week/subscription'
import { seededRandom } from '../shared/seededRandom'
import { WEEK_MINUTES, weekSupply, type SuppliedSpec } from './week/supply'

const MINUTE = 60_000
const WEEK = WEEK_MINUTES * MINUTE
/** A Monday, 00:00 UTC: fixed, so every run simulates the same week. */
const START = Date.UTC(2026, 2, 2)
const LANES = [
  { name: 'alice', quotas: ['5h:tokens:1200000', '7d:tokens:12000000'] },
  { name: 'bob', quotas: ['5h:tokens:1200000', '7d:tokens:12000000'] },
  { name: 'gordon', quotas: ['5h:tokens:800000', '7d:tokens:8000000'] },
]
/**
 * The baseline polls, as a cron job would. Woken as the allocator is, it sends each slot of an
 * exhausted lane a new run every step (thousands in a week, too slow to simulate here).
 */
const ROUND_ROBIN_POLL_MINUTES = 30
/** The simulation's step: coarser than the engine's 3 s tick, the same for both dispatchers. */
const STEP_MINUTES = 10
/** The week before used about this share of each lane's 7-day window. */
const HISTORY_SHARE = 0.4

type Dispatcher = 'allocator' | 'round-robin'

interface WeekResult extends WeekFigures {
  idleMinutes: number
  ms: number
}

function simulateWeek(dispatcher: Dispatcher, supply: SuppliedSpec[]): WeekResult {
  const { dir, cleanup } = tempDir('factory-bench-week-')
  const clock = { now: START - WEEK }
  const engine = createEngine({ dbPath: join(dir, 'ledger.db'), now: () => clock.now })
  const { ledger } = engine
  // Nothing here outlives the process: commits need not wait for the disk (figures, not speed).
  ledger.sqlite.pragma('synchronous = OFF')
  const subscriptions = new Map<string, Subscription>()
  for (const lane of LANES) {
    // A command lane naming the fixture agent, so the allocator's check for its CLI passes.
    const agent = engine.call(
      'agent/add',
      { ...lane, runner: 'command', command: fixtureCommand('ship'), maxConcurrent: 2 },
      'bench',
    )
    // The subscription allows exactly what the lane's windows say: the engine's limits are right.
    subscriptions.set(lane.name, new Subscription(agent.quotas))
  }
  seedLastWeek(ledger.sqlite, subscriptions)

  const specIds: string[] = []
  const work = new Map<string, SuppliedSpec>()
  const runs = new FixtureRuns(ledger, subscriptions, (specId) => work.get(specId)!)
  const host = { ...engine.runs, standby: runs.standby() }
  const roundRobin = new RoundRobin(ledger, host, (runId) => runs.handOver(runId))
  let idleMinutes = 0
  let arrived = 0
  let seen = -1
  let reading = { idle: false, nextOpening: Infinity }
  const ms = timeMs(() => {
    for (let minute = 0; minute < WEEK_MINUTES; minute += STEP_MINUTES) {
      clock.now = START + minute * MINUTE
      for (; arrived < supply.length && supply[arrived]!.at <= minute; arrived++) {
        const wanted = supply[arrived]!
        const dependsOn = wanted.dependsOn.map((index) => specIds[index]!)
        const spec = engine.call('spec/add', { title: wanted.title, dependsOn }, 'bench')
        engine.call('spec/queue', { id: spec.id }, 'bench')
        specIds.push(spec.id)
        work.set(spec.id, wanted)
      }
      runs.advance(clock.now, STEP_MINUTES)
      // Nothing a round or the reading depends on changes between a commit and the next hold or
      // full window ending by itself: both are skipped until one of those comes.
      const changed = ledger.latestSeq() !== seen || clock.now >= reading.nextOpening
      if (dispatcher === 'allocator' && changed) {
        allocateRound(ledger, host, 'allocator', { dryRun: false })
      } else if (dispatcher === 'round-robin' && minute % ROUND_ROBIN_POLL_MINUTES === 0) {
        roundRobin.round()
      }
      runs.start()
      if (ledger.latestSeq() !== seen || clock.now >= reading.nextOpening) {
        reading = readIdle(ledger, clock.now)
        seen = ledger.latestSeq()
      }
      if (reading.idle) idleMinutes += STEP_MINUTES
    }
  })
  const figures = weekFigures(ledger, START + WEEK)
  engine.close()
  cleanup()
  return { ...figures, idleMinutes, ms }
}

/** An hourly use over the 7 days before, uneven, in the ledger and the subscription alike. */
function seedLastWeek(
  sqlite: ReturnType<typeof createEngine>['ledger']['sqlite'],
  subscriptions: Map<string, Subscription>,
): void {
  const next = seededRandom(7)
  const insert = sqlite.prepare(
    `INSERT INTO usage (agent, ts, input_tokens, output_tokens, turns, source)
     VALUES (?, ?, ?, 0, 1, 'run')`,
  )
  sqlite.transaction(() => {
    for (const hour of Array.from({ length: 167 }, (_, i) => i + 1)) {
      const ts = START - WEEK + hour * 3_600_000
      for (const [agent, subscription] of subscriptions) {
        const weekly = subscription.windows.find((w) => w.durationMs === WEEK)!.limit
        const tokens = Math.round(((weekly * HISTORY_SHARE) / 167) * 2 * next())
        insert.run(agent, ts, tokens)
        subscription.book(ts, tokens)
      }
    }
  })()
}

export function benchWeek(): void {
  const supply = weekSupply(15)
  const bursts = new Set(supply.map((spec) => Math.floor(spec.at / 60))).size
  const waiting = supply.filter((spec) => spec.dependsOn.length > 0).length
  const engine = simulateWeek('allocator', supply)
  const naive = simulateWeek('round-robin', supply)
  console.log(
    `\nA simulated week (${supply.length} specs in ${bursts} bursts, ${waiting} waiting on another; ` +
      `${LANES.length} lanes × 2 runs, 5h and 7d token windows; allocator vs round-robin)`,
  )
  const perReset = (week: WeekResult) => (week.resets ? week.probes / week.resets : 0)
  line(
    'idle minutes while a ready spec waited',
    `${engine.idleMinutes} (round-robin: ${naive.idleMinutes})`,
    '0',
    engine.idleMinutes === 0,
  )
  line(
    '  runs started against an exhausted window',
    `${engine.exhaustedStarts} of ${engine.runs} (round-robin: ${naive.exhaustedStarts} of ${naive.runs})`,
    '0',
    engine.exhaustedStarts === 0,
  )
  line(
    '  probes per reset',
    `${perReset(engine).toFixed(2)} over ${engine.resets} (round-robin: ${perReset(naive).toFixed(2)} over ${naive.resets})`,
    '≤ 1',
    perReset(engine) <= 1,
  )
  line(
    '  specs shipped',
    `${engine.shipped} of ${supply.length} (${(engine.shipped / naive.shipped).toFixed(2)}× round-robin: ${naive.shipped})`,
    'context',
    true,
  )
  const lost = (week: WeekResult) => `${((week.lostTokens / week.tokens) * 100).toFixed(0)}%`
  console.log(
    `  runs cut off by a limit: ${engine.limitFailures} (round-robin: ${naive.limitFailures}); ` +
      `tokens they spent: ${lost(engine)} (round-robin: ${lost(naive)}); ` +
      `simulated in ${(engine.ms / 1000).toFixed(1)} s and ${(naive.ms / 1000).toFixed(1)} s`,
  )
}
