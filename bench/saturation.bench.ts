// Saturation: 30 days × 5-minute buckets × 10 agents computed from 1,000,000 usage events in a real
// ledger file (against a plain full scan of the same table), and drawn in Chromium by the view's own
// uPlot wrapper in a bare page.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import ts from 'typescript'
import { CHROMIUM_LAUNCH_OPTIONS } from '../e2e/chromium'
import { createEngine } from '../electron/core/engine'
import { readSaturation } from '../electron/core/software/capacity/saturation'
import { tempDir } from '../electron/core/testing'
import type { Saturation } from '../shared/saturation'
import { line, median, timeMs } from './measure'

const EVENTS = 1_000_000
const AGENTS = 10
const DAY = 86_400_000
const FIVE_MINUTES = 300_000
const QUOTAS = [
  ['5h:tokens:2000000', '7d:usd:200'],
  ['5h:tokens:1000000'],
  ['5h:messages:200', '7d:tokens:40000000'],
]

/** A deterministic pseudo-random stream, so every run seeds the same ledger. */
function random(seed: number): () => number {
  let state = seed
  return () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31
}

function seed(now: number) {
  const { dir, cleanup } = tempDir('factory-bench-saturation-')
  const engine = createEngine({ dbPath: join(dir, 'ledger.db'), now: () => now })
  for (let i = 0; i < AGENTS; i++) {
    engine.call('agent/add', { name: `agent${i}`, quotas: QUOTAS[i % QUOTAS.length]! }, 'bench')
  }
  const insert = engine.ledger.sqlite.prepare(
    `INSERT INTO usage (run_id, agent, ts, input_tokens, output_tokens, cache_read_tokens,
       cache_write_tokens, cost_micros, turns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)`,
  )
  const next = random(42)
  const started = Date.now()
  // Appended in time order, as supervisors record them: 30 days, about one delta every 2.6 s.
  engine.ledger.sqlite.transaction(() => {
    for (let i = 0; i < EVENTS; i++) {
      const ts = now - 30 * DAY + Math.floor((i / EVENTS) * 30 * DAY)
      const agent = Math.floor(next() * AGENTS)
      const tokens = Math.floor(next() * 4000)
      insert.run(`r_${i % 5000}`, `agent${agent}`, ts, tokens, tokens >> 2, tokens * 3, 0, tokens)
    }
  })()
  return { engine, cleanup, seededMs: Date.now() - started }
}

function engineFigures(now: number): Saturation {
  const { engine, cleanup, seededMs } = seed(now)
  const ledger = engine.ledger
  const query = { now, days: 30, bucketMs: FIVE_MINUTES }
  console.log(
    `\nSaturation (${EVENTS.toLocaleString('en-US')} usage events, ${AGENTS} agents, 30 days; seeded in ${seededMs} ms)`,
  )
  const scan = ledger.sqlite
    .prepare(
      'SELECT sum(input_tokens + output_tokens + cache_write_tokens), sum(cost_micros) FROM usage',
    )
    .raw(true)
  const baseline = median(Array.from({ length: 5 }, () => timeMs(() => scan.all())))
  const groupBy = ledger.sqlite
    .prepare(
      `SELECT agent, ts / 300000 AS b, sum(input_tokens + output_tokens + cache_write_tokens),
         sum(cost_micros), sum(turns) FROM usage WHERE ts >= CAST(? AS INTEGER) GROUP BY agent, b`,
    )
    .raw(true)
  const grouped = median(Array.from({ length: 3 }, () => timeMs(() => groupBy.all(now - 30 * DAY))))
  const cold = timeMs(() => readSaturation(ledger, query))
  const warm = median(Array.from({ length: 9 }, () => timeMs(() => readSaturation(ledger, query))))
  const hours = median(
    Array.from({ length: 9 }, () =>
      timeMs(() => readSaturation(ledger, { now, days: 7, bucketMs: 3_600_000 })),
    ),
  )
  // A minute of 8 busy runs' deltas arriving between two reads.
  const insert = ledger.sqlite.prepare(
    `INSERT INTO usage (run_id, agent, ts, input_tokens, output_tokens, turns) VALUES ('r_new', ?, ?, 900, 300, 1)`,
  )
  const refreshed = median(
    Array.from({ length: 5 }, () => {
      ledger.sqlite.transaction(() => {
        for (let i = 0; i < 1000; i++) insert.run(`agent${i % AGENTS}`, now - i * 60)
      })()
      return timeMs(() => readSaturation(ledger, query))
    }),
  )
  const encoded = median(
    Array.from({ length: 3 }, () =>
      timeMs(() =>
        JSON.stringify(engine.invoke('usage/saturation', { days: 30, bucket: '5min' }, 'bench')),
      ),
    ),
  )
  const result = readSaturation(ledger, query)
  line(
    'readSaturation 30 d × 5 min × 10 agents',
    `${warm.toFixed(1)} ms (${(warm / baseline).toFixed(2)}× a full scan: ${baseline.toFixed(1)} ms)`,
    '< 200 ms',
    warm < 200,
  )
  line('  … after 1,000 new usage rows', `${refreshed.toFixed(1)} ms`, '< 200 ms', refreshed < 200)
  console.log(
    `  7 days × hours: ${hours.toFixed(1)} ms; as the operation answers it (validated, JSON): ${encoded.toFixed(1)} ms`,
  )
  // The first open of the view in a fresh process: nothing cached anywhere but SQLite's pages.
  line(
    '  … first read in a process',
    `${cold.toFixed(0)} ms (one GROUP BY over usage instead: ${grouped.toFixed(0)} ms)`,
    '< 200 ms',
    cold < 200,
  )
  // What the rollup's triggers cost every usage row written (supervisors, imports).
  ledger.sqlite.exec('CREATE TEMP TABLE usage_plain AS SELECT * FROM usage WHERE 0')
  const rows = 20_000
  const writeRows = (table: string) => {
    const statement = ledger.sqlite.prepare(
      `INSERT INTO ${table} (agent, ts, input_tokens, output_tokens, cache_write_tokens, cost_micros, turns, source)
       VALUES (?, ?, 900, 300, 0, 1200, 1, 'run')`,
    )
    return timeMs(() =>
      ledger.sqlite.transaction(() => {
        for (let i = 0; i < rows; i++) statement.run(`agent${i % AGENTS}`, now - i * 1000)
      })(),
    )
  }
  const plain = median([0, 1, 2].map(() => writeRows('usage_plain')))
  const kept = median([0, 1, 2].map(() => writeRows('usage')))
  line(
    '  usage row write with the rollup trigger',
    `${(kept / plain).toFixed(2)}× a table without it (${((kept / rows) * 1000).toFixed(1)} µs/row)`,
    'context',
    true,
  )
  engine.close()
  cleanup()
  return result
}

/** The chart module as the browser loads it: TypeScript stripped, `uplot` resolved by an import map. */
function pageFiles(): Record<string, { type: string; body: string }> {
  const read = (path: string) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8')
  const chart = ts.transpileModule(
    read('../renderer/src/components/saturation/saturationChart.ts'),
    {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    },
  ).outputText
  const html = `<!doctype html><html><head><link rel="stylesheet" href="uplot.css">
    <script type="importmap">{"imports":{"uplot":"./uplot.js"}}</script></head>
    <body style="margin:0"><div id="chart"></div>
    <script type="module">import { SaturationChart } from './chart.js'; window.SaturationChart = SaturationChart</script>
    </body></html>`
  return {
    '/': { type: 'text/html', body: html },
    '/uplot.css': { type: 'text/css', body: read('../node_modules/uplot/dist/uPlot.min.css') },
    '/uplot.js': { type: 'text/javascript', body: read('../node_modules/uplot/dist/uPlot.esm.js') },
    '/chart.js': { type: 'text/javascript', body: chart },
  }
}

async function drawFigures(saturation: Saturation): Promise<void> {
  const files = pageFiles()
  const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS)
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
  await page.route('http://bench.local/**', (route) => {
    const file = files[new URL(route.request().url()).pathname]
    return file
      ? route.fulfill({ contentType: file.type, body: file.body })
      : route.fulfill({ status: 404 })
  })
  await page.goto('http://bench.local/')
  await page.waitForFunction('window.SaturationChart !== undefined')
  // A string, not a function: the TypeScript loader would wrap a function in helpers the page lacks.
  const figures = (await page.evaluate(`(async (saturation) => {
    const colors = { agents: ['#2f6fdb', '#e0700f', '#16966a', '#d6336c', '#7c4dff', '#0b8fab', '#a87a00', '#8d5a3b', '#5f7d1f', '#5c6b7a'],
      portfolio: '#1b1b20', full: '#9a9aa6', idle: 'rgba(194, 124, 14, 0.13)', blocked: 'rgba(92, 96, 112, 0.45)', axis: '#62626e', grid: '#ececf0' }
    const chart = new window.SaturationChart(document.getElementById('chart'), { width: 1100, height: 600 }, colors, saturation.agents.length)
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(performance.now())))
    const draws = []
    const painted = []
    for (let i = 0; i < 7; i++) {
      await frame()
      const start = performance.now()
      chart.setData(saturation, null)
      draws.push(performance.now() - start)
      painted.push((await frame()) - start)
    }
    return { draws, painted, points: saturation.timestamps.length }
  })(${JSON.stringify(saturation)})`)) as { draws: number[]; painted: number[]; points: number }
  const draw = median(figures.draws)
  const painted = median(figures.painted)
  line(
    'draw 30 d × 5 min × 10 agents in Chromium',
    `${painted.toFixed(1)} ms to the next frame (setData and draw: ${draw.toFixed(1)} ms)`,
    '< 100 ms',
    painted < 100,
  )
  console.log(
    `  ${figures.points.toLocaleString('en-US')} points per series, 14 series (10 agents, portfolio, 100%, idle and blocked floors)`,
  )
  await browser.close()
}

export async function benchSaturation(): Promise<void> {
  // Half past an hour: the last bucket is partial, as it usually is.
  const now = Math.floor(Date.now() / 3_600_000) * 3_600_000 + 1_800_000
  await drawFigures(engineFigures(now))
}
