// Board load: the board's data with 10,000 specs and 200,000 events, in the engine and as a first
// paint in Chromium through the browser mode.
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { CHROMIUM_LAUNCH_OPTIONS } from '../e2e/chromium'
import { STAGES } from '../shared/domain'
import { readBoard } from '../electron/core/board'
import { createEngine } from '../electron/core/engine'
import { tempDir } from '../electron/core/testing'
import { startServer } from '../electron/serve/server'
import { CELL_FIRST_PAGE } from '../renderer/src/board/cells'
import { startBarePage } from './barePage'
import { line, median, timeMs } from './measure'

const SPECS = 10_000
const EVENTS = 200_000
const AGENTS = ['bob', 'alice', 'gordon', 'dora', 'eve']

export async function benchBoard(): Promise<void> {
  const { dir, cleanup } = tempDir('factory-bench-')
  const engine = createEngine({ dbPath: join(dir, 'ledger.db') })
  for (const name of AGENTS) engine.call('agent/add', { name, runner: 'claude' }, 'bench')
  const seedStart = Date.now()
  const insert = engine.ledger.sqlite.prepare(
    `INSERT INTO specs (id, title, body, stage, status, agent, source, tags, priority, created_at, updated_at)
     VALUES (?, ?, ?, ?, 'new', ?, 'bench', '["seed"]', ?, ?, ?)`,
  )
  engine.ledger.change('bench', (c) => {
    for (let i = 1; i <= SPECS; i++) {
      const stage = STAGES[i % 3]!
      const agent = i % 4 === 0 ? null : AGENTS[i % AGENTS.length]!
      insert.run(
        `s_${i}`,
        `Spec number ${i}: build the thing`,
        `# Spec ${i}\n\nbody`,
        stage,
        agent,
        i % 7,
        c.now - i * 1000,
        c.now,
      )
      c.append({ type: 'spec.created', subject: `s_${i}`, payload: { stage, agent } })
    }
  })
  while (engine.ledger.latestSeq() < EVENTS) {
    engine.ledger.change('bench', (c) => {
      for (let i = 0; i < 10_000; i++)
        c.append({
          type: 'spec.edited',
          subject: `s_${(i % SPECS) + 1}`,
          payload: { changed: { priority: i % 5 } },
        })
    })
  }
  console.log(
    `\nBoard load (${SPECS.toLocaleString('en-US')} specs, ${engine.ledger.latestSeq().toLocaleString('en-US')} events; seeded in ${Date.now() - seedStart} ms)`,
  )

  const engineMs = median(Array.from({ length: 9 }, () => timeMs(() => readBoard(engine.ledger))))
  const invokeMs = median(
    Array.from({ length: 9 }, () =>
      timeMs(() => JSON.stringify(engine.invoke('board/get', {}, 'bench'))),
    ),
  )
  line(
    'board data in the engine (readBoard)',
    `${engineMs.toFixed(1)} ms`,
    '< 50 ms',
    engineMs < 50,
  )
  console.log(`  with validation and JSON encoding, as a host sends it: ${invokeMs.toFixed(1)} ms`)

  const server = await startServer({
    engine,
    rendererDir: fileURLToPath(new URL('../out/renderer/', import.meta.url)),
    port: 0,
  })
  const browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS)
  const bare = await startBarePage(engine, CELL_FIRST_PAGE)
  const firstPaint = async (url: string): Promise<number> => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
    const start = Date.now()
    await page.goto(url)
    await page.getByTestId('card').first().waitFor()
    const ms = Date.now() - start
    await page.close()
    return ms
  }
  // Taken in turns, so a slow moment of the machine falls on both.
  const paints: number[] = []
  const barePaints: number[] = []
  for (let i = 0; i < 5; i++) {
    paints.push(await firstPaint(server.url))
    barePaints.push(await firstPaint(bare.url))
  }
  await bare.close()
  const paintMs = median(paints)
  const bareMs = median(barePaints)
  line(
    'first paint of that board in Chromium',
    `${paintMs} ms (navigation → cards drawn)`,
    '< 1000 ms',
    paintMs < 1000,
  )
  line(
    '  vs a bare page drawing the same cards',
    `${(paintMs / bareMs).toFixed(2)}× (${bareMs} ms: same JSON, plain elements)`,
    'context',
    true,
  )

  // Another process's write (as the CLI makes it) reaching the open board, on this 10,000-card board.
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
  await page.goto(server.url)
  await page.getByTestId('card').first().waitFor()
  const other = createEngine({ dbPath: engine.ledger.path })
  const lags: number[] = []
  for (let i = 0; i < 5; i++) {
    const start = Date.now()
    other.call('spec/add', { title: `Live ${i}`, priority: 1000 }, 'cli')
    await page
      .getByTestId('card')
      .filter({ hasText: `Live ${i}` })
      .waitFor()
    lags.push(Date.now() - start)
  }
  other.close()
  const lagMs = median(lags)
  line('CLI write → visible on the open board', `${lagMs} ms`, '< 1000 ms', lagMs < 1000)
  await browser.close()
  await server.close()
  engine.close()
  cleanup()
}
