// Capacity as a user reads it: three lanes — bob free (his runs and his Claude Code logs), alice held
// by her subscription's limit until a time, carol whose subscription reports more than her runs
// count — on the lane meters and in the saturation view, at two window sizes, light and dark. The
// words must be true: a held lane is blocked, not idle; every figure says where it came from.
import type { Page } from '@playwright/test'
import Database from 'better-sqlite3'
import { execFile } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import {
  reportAnswer,
  startReplayServer,
  type ReplayServer,
} from '../electron/core/software/usageSources/replayServer'
import { addFixtureLane, toast } from './board'
import { ARTIFACTS, expect, test, type Factory } from './factory'
import { formatTime } from '../renderer/src/time'
import { formatClock } from '../shared/format'

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const TOKEN = 'sk-ant-oat01-e2e-capacity'

const bin = fileURLToPath(new URL('../bin/factory.js', import.meta.url))

/**
 * `factory usage sync`, without blocking this process: the replay server answering the CLI's
 * request for the usage report runs here.
 */
async function syncUsage(factory: Factory): Promise<{ agent: string; error: string | null }[]> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    bin,
    'usage',
    'sync',
    '--db',
    factory.db,
    '--json',
  ])
  return JSON.parse(stdout) as { agent: string; error: string | null }[]
}

/** "14:05" ("tomorrow 01:05" past midnight) as the app says it, in this machine's zone. */
const clockInPage = (_page: Page, ms: number): Promise<string> =>
  Promise.resolve(formatTime(ms, Date.now()))

/** Usage rows as run supervisors record them: `rows` deltas of `tokens` output tokens each. */
function seedRuns(factory: Factory, agent: string, rows: { ts: number; tokens: number }[]): void {
  const db = new Database(factory.db)
  const insert = db.prepare(
    `INSERT INTO usage (run_id, agent, ts, output_tokens) VALUES ('r_seed', ?, ?, ?)`,
  )
  db.transaction(() => {
    for (const row of rows) insert.run(agent, row.ts, row.tokens)
  })()
  db.close()
}

/** A working week: a delta every 20 minutes in working hours over `days`, none in the last `quiet`. */
function workingWeek(now: number, days: number, tokens: number, quiet = 6 * HOUR) {
  const rows: { ts: number; tokens: number }[] = []
  for (let ts = now - days * DAY; ts < now - quiet; ts += 20 * MINUTE) {
    const hour = new Date(ts).getUTCHours()
    if (hour >= 8 && hour < 19) rows.push({ ts, tokens })
  }
  return rows
}

/** One assistant message in a Claude Code session log, as Claude Code writes it. */
function claudeLogLine(id: string, at: number, tokens: { input: number; output: number }) {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    userType: 'external',
    cwd: '/home/me/site',
    sessionId: '5f0e6c1a-3a1b-4c1e-9d52-0c6a3d2f1e11',
    version: '1.0.51',
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-20250514',
      content: [{ type: 'text', text: 'Done.' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: {
        input_tokens: tokens.input,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 12_000,
        output_tokens: tokens.output,
        service_tier: 'standard',
      },
    },
    requestId: `req_${id}`,
    type: 'assistant',
    uuid: `u-${id}`,
    timestamp: new Date(at).toISOString(),
  })
}

interface Lanes {
  pausedUntil: number
  carolResets: number
}

/**
 * bob: 1M tokens per 5h; 120k from his runs and 50k from a Claude Code session in the last hour
 * (17%). alice: the same window, 100k from runs, held since 2 hours ago by her subscription's
 * limit until 3 hours from now. carol: the same window, 100k from runs (10%), and Claude's usage
 * report says 64%.
 */
async function threeLanes(factory: Factory, replay: ReplayServer): Promise<Lanes> {
  const now = Date.now()
  const logs = join(factory.dir, 'claude-projects')
  mkdirSync(join(logs, '-home-me-site'), { recursive: true })
  writeFileSync(
    join(logs, '-home-me-site', '5f0e6c1a-3a1b-4c1e-9d52-0c6a3d2f1e11.jsonl'),
    claudeLogLine('msg_01', now - 30 * MINUTE, { input: 20_000, output: 30_000 }) + '\n',
  )
  const credentials = join(factory.dir, 'credentials.json')
  writeFileSync(
    credentials,
    JSON.stringify({ claudeAiOauth: { accessToken: TOKEN, expiresAt: now + DAY } }),
  )
  const carolResets = now + 2 * HOUR
  replay.answer = {
    status: 200,
    json: reportAnswer({
      five_hour: { utilization: 64.0, resets_at: new Date(carolResets).toISOString() },
      seven_day: { utilization: 31.0, resets_at: new Date(now + 4 * DAY).toISOString() },
    }),
  }
  const quota = ['--quota', '5h:tokens:1000000']
  factory.cli('agent', 'add', 'bob', ...quota, '--claude-logs', logs)
  factory.cli('agent', 'add', 'alice', ...quota, '--plan', 'Max 5x')
  factory.cli(
    'agent',
    'add',
    'carol',
    ...quota,
    '--usage-report',
    'on',
    '--usage-report-url',
    replay.baseUrl,
    '--credentials',
    credentials,
  )
  seedRuns(factory, 'bob', [
    ...workingWeek(now, 6, 9_000),
    { ts: now - 50 * MINUTE, tokens: 120_000 },
  ])
  seedRuns(factory, 'alice', [
    ...workingWeek(now, 6, 14_000),
    { ts: now - 2.5 * HOUR, tokens: 100_000 },
  ])
  seedRuns(factory, 'carol', [
    ...workingWeek(now, 6, 6_000),
    { ts: now - 40 * MINUTE, tokens: 100_000 },
  ])
  // alice's run was refused by her subscription two hours ago: the lane has been held since.
  const db = new Database(factory.db)
  db.prepare(
    `INSERT INTO events (ts, type, subject, actor, payload) VALUES (?, 'agent.paused', 'agent:alice', 'lane-holding', ?)`,
  ).run(
    now - 2 * HOUR,
    JSON.stringify({
      until: now + 3 * HOUR,
      reason: 'quota_exhausted: Claude AI usage limit reached',
    }),
  )
  db.close()
  const paused = factory.cli(
    'agent',
    'pause',
    'alice',
    '--until',
    '3h',
    '--reason',
    'quota_exhausted: Claude AI usage limit reached',
  ) as { pausedUntil: number }
  const synced = await syncUsage(factory)
  expect(synced.map((s) => [s.agent, s.error])).toEqual([
    ['bob', null],
    ['carol', null],
  ])
  return { pausedUntil: paused.pausedUntil, carolResets }
}

let replay: ReplayServer
test.beforeEach(async () => {
  replay = await startReplayServer(TOKEN)
})
test.afterEach(async () => {
  await replay.close()
})

const SIZES = [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
] as const

for (const size of SIZES) {
  test(`at ${size.width}×${size.height}, light and dark: each lane says where its figure came from, and where work can go now`, async ({
    page,
    factory,
  }) => {
    const { pausedUntil, carolResets } = await threeLanes(factory, replay)
    const shot = (name: string) =>
      page.screenshot({
        path: join(ARTIFACTS, `capacity-${name}-${size.width}.png`),
        animations: 'disabled',
      })
    await page.setViewportSize(size)
    await page.goto(factory.url)

    // The lane meters: one figure each, and where it came from.
    const meter = (agent: string) => page.getByTestId(`lane-${agent}`).getByTestId('lane-meter')
    await expect(meter('bob')).toContainText('17%')
    await expect(meter('bob').getByTestId('meter-source')).toHaveText('runs + logs')
    await expect(meter('bob')).toHaveAttribute(
      'title',
      /^5h tokens: 17% used, from this factory’s runs and Claude Code’s logs; 170k of 1M tokens;/,
    )
    await expect(meter('carol')).toContainText('64%')
    await expect(meter('carol').getByTestId('meter-source')).toHaveText('reported')
    await expect(meter('carol')).toHaveAttribute(
      'title',
      new RegExp(
        `^5h tokens: 64% used, from Claude’s usage report; this factory counted 100k of 1M tokens \\(10%\\); frees ${await clockInPage(page, carolResets)}`,
      ),
    )
    // The lanes count differently, so each meter names its source: alice's 10% next to her hold
    // counts the factory's runs only, and she is held.
    const hold = page.getByTestId('lane-alice').getByTestId('lane-hold')
    await expect(hold).toContainText(`Paused until ${await clockInPage(page, pausedUntil)}`)
    await expect(meter('alice')).toContainText('10%')
    await expect(meter('alice').getByTestId('meter-source')).toHaveText('runs only')
    await expect(meter('alice')).toHaveAttribute(
      'title',
      /from this factory’s runs; .*Claude Code’s logs and Claude’s usage report are off for this lane.*the lane is held/,
    )
    await shot('board-light')

    await page.getByTestId('open-saturation').click()
    const view = page.getByTestId('saturation-view')
    await expect(view).toBeVisible()

    // Right now: the free lanes first, most room first, as the allocator picks; alice is blocked.
    const now = view.getByTestId('right-now')
    await expect(now).toContainText('2 of 3 lanes can take work')
    await expect(now.getByTestId('right-now-lane')).toHaveText([/^bob/, /^carol/, /^alice/])
    const lane = (agent: string) => now.locator(`[data-testid=right-now-lane][data-agent=${agent}]`)
    await expect(lane('bob').getByTestId('right-now-state')).toHaveText('Can take 1 more run')
    await expect(lane('bob').getByTestId('right-now-room')).toHaveText(
      '83% free of its 5h tokens, from this factory’s runs and Claude Code’s logs',
    )
    await expect(lane('carol').getByTestId('right-now-room')).toHaveText(
      '36% free of its 5h tokens, from Claude’s usage report',
    )
    await expect(lane('alice').getByTestId('right-now-state')).toHaveText(
      `Blocked until ${await clockInPage(page, pausedUntil)} · usage limit`,
    )
    await expect(lane('alice').getByTestId('right-now-room')).toHaveText(
      '5h tokens 10% used, from this factory’s runs',
    )

    // This week: alice's held hours are blocked, not idle; nobody held reads as the best seat.
    const week = (agent: string) => view.locator(`[data-testid=idle-agent][data-agent=${agent}]`)
    // Two hours and the minute or so this test has taken so far.
    await expect(week('alice').getByTestId('idle-blocked')).toHaveText(
      /^Blocked 2h(1m|2m)? this week; held now · usage limit$/,
    )
    await expect(week('alice').getByTestId('idle-shares')).toContainText(/blocked [1-9]\d?%/)
    await expect(week('bob').getByTestId('idle-shares')).toContainText('blocked 0%')
    await expect(week('carol').getByTestId('idle-source')).toContainText(
      'From Claude’s usage report where it read higher',
    )
    await expect(week('alice').getByTestId('idle-source')).toContainText(
      'From this factory’s runs only (Claude Code’s logs and usage report are off)',
    )
    await expect(view.getByTestId('blocked-total')).toContainText(/(<1|[1-9]\d?)% more was blocked/)
    // Six days of history: the 7-day chart starts where it does, in hours.
    const chart = view.getByTestId('saturation-chart')
    await expect(chart).toHaveAttribute('data-bucket-ms', '3600000')
    await shot('saturation-light')

    // Hovering the right end reads the latest hour, with the report named where it gave the figure.
    const box = (await chart.locator('.u-over').boundingBox())!
    // Within a quarter of the last bucket's width of the edge: at 1024 px a bucket is about 3 px,
    // and 2 px in is already nearer the hour before.
    const bucketPx = box.width / Number(await chart.getAttribute('data-buckets'))
    await page.mouse.move(box.x + box.width - bucketPx / 4, box.y + box.height / 2)
    const legend = view.getByTestId('saturation-legend')
    await expect(legend).toContainText(/1 hour/)
    const carolItem = legend.getByTestId('legend-item').filter({ hasText: 'carol' })
    await expect(carolItem).toContainText('64%')
    await expect(carolItem).toContainText('reported')
    await expect(legend).not.toContainText('no data')
    await shot('saturation-hover-light')

    await page.mouse.move(0, 0)
    await page.emulateMedia({ colorScheme: 'dark' })
    await shot('saturation-dark')
    await page.keyboard.press('Escape')
    await expect(view).toBeHidden()
    await shot('board-dark')
  })
}

test('on day one the chart fits the few hours it has, in 5-minute buckets, and its end reads a figure', async ({
  page,
  factory,
}) => {
  const now = Date.now()
  factory.cli('agent', 'add', 'bob', '--quota', '5h:tokens:1000000')
  factory.cli('agent', 'add', 'alice', '--quota', '5h:tokens:1000000')
  seedRuns(factory, 'bob', [
    { ts: now - 3 * HOUR, tokens: 80_000 },
    { ts: now - 2 * HOUR, tokens: 150_000 },
    { ts: now - 20 * MINUTE, tokens: 60_000 },
  ])
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(factory.url)
  await page.getByTestId('open-saturation').click()
  const view = page.getByTestId('saturation-view')
  const chart = view.getByTestId('saturation-chart')
  await expect(chart).toHaveAttribute('data-bucket-ms', '300000')
  // From bob's first use three hours ago to now: about 37 five-minute buckets, not 168 hours.
  const buckets = Number(await chart.getAttribute('data-buckets'))
  expect(buckets).toBeGreaterThanOrEqual(36)
  expect(buckets).toBeLessThanOrEqual(38)
  const box = (await chart.locator('.u-over').boundingBox())!
  await page.mouse.move(box.x + box.width - 1, box.y + box.height / 2)
  const legend = view.getByTestId('saturation-legend')
  await expect(legend).toContainText(/5 minutes/)
  await expect(legend.getByTestId('legend-item').filter({ hasText: 'bob' })).toContainText('29%')
  await expect(legend).not.toContainText('no data')
  await page.screenshot({ path: join(ARTIFACTS, 'capacity-day-one.png') })
})

test('a lane with every run slot taken is busy right now and blocked by its cap this week, not idle', async ({
  page,
  factory,
}) => {
  const now = Date.now()
  const lane = (name: string) =>
    addFixtureLane(factory, name, ['slow', '60'], '--quota', '5h:tokens:1000000')
  lane('bob')
  lane('alice')
  // The same small use for both an hour ago: bob then takes a run, alice has nothing to do.
  seedRuns(factory, 'bob', [{ ts: now - HOUR, tokens: 100_000 }])
  seedRuns(factory, 'alice', [{ ts: now - HOUR, tokens: 100_000 }])
  // Before the run at work now, bob had one from 50 to 10 minutes ago: his slot was taken then too.
  factory.cli('spec', 'add', '--title', 'Earlier fix')
  const db = new Database(factory.db)
  db.prepare(
    `INSERT INTO runs (id, spec_id, agent, runner, state, argv, cwd, workspace_kind, run_dir,
       created_at, ended_at, updated_at)
     VALUES ('r_1', 's_1', 'bob', 'command', 'done', '[]', '/', 'folder', '/', ?, ?, ?)`,
  ).run(now - 50 * MINUTE, now - 10 * MINUTE, now - 10 * MINUTE)
  db.close()
  factory.cli('spec', 'add', '--title', 'Long refactor')
  factory.cli('dispatch', 's_2', '--agent', 'bob')
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(factory.url)
  await expect(page.getByTestId('lane-bob').getByTestId('lane-running')).toHaveText('1/1 running')
  await page.getByTestId('open-saturation').click()
  const view = page.getByTestId('saturation-view')
  const week = (agent: string) => view.locator(`[data-testid=idle-agent][data-agent=${agent}]`)
  await expect(week('bob').getByTestId('idle-blocked')).toHaveText(
    /^Blocked \d+m this week; every run slot taken now$/,
  )
  await expect(week('alice').getByTestId('idle-blocked')).toHaveCount(0)
  const idle = async (agent: string) =>
    Number((await week(agent).getByTestId('idle-share').textContent())!.replace(/\D/g, ''))
  // Both used 10% of their meter; bob's other 90% was out of reach for about 40 of his 60 minutes.
  expect(await idle('alice')).toBe(90)
  expect(await idle('bob')).toBeLessThan(40)
  await page.screenshot({ path: join(ARTIFACTS, 'capacity-at-cap.png') })
})

test('Allocate now says where a spec started and why there, and when nothing can start, why not', async ({
  page,
  factory,
}) => {
  factory.cli('settings', '--auto-dispatch', 'off')
  for (const name of ['bob', 'alice', 'gordon'])
    addFixtureLane(factory, name, ['slow', '60'], '--quota', '5h:runs:50')
  const { pausedUntil } = factory.cli('agent', 'pause', 'alice', '--until', '3h') as {
    pausedUntil: number
  }
  const until = formatClock(pausedUntil)
  factory.cli('spec', 'add', '--title', 'Earlier fix')
  factory.cli('dispatch', 's_1', '--agent', 'gordon')
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(factory.url)
  const allocate = page.getByTestId('allocate-now')
  await expect(page.getByTestId('lane-gordon').getByTestId('lane-running')).toHaveText(
    '1/1 running',
  )

  // All three count their runs only: no meter says so on a chip, each says it on hover.
  await expect(page.getByTestId('lane-meter')).toHaveCount(3)
  await expect(page.getByTestId('meter-source')).toHaveCount(0)
  for (const lane of ['bob', 'alice', 'gordon'])
    await expect(page.getByTestId(`lane-${lane}`).getByTestId('lane-meter')).toHaveAttribute(
      'title',
      /^5h runs: \d+% used, from this factory’s runs;/,
    )

  await allocate.click()
  await expect(
    toast(page, 'Nothing is waiting: drop a spec on Software · Unassigned to queue it'),
  ).toBeVisible()

  factory.cli('spec', 'add', '--title', 'Write the docs')
  factory.cli('spec', 'queue', 's_2')
  await allocate.click()
  await expect(
    toast(
      page,
      `Started “Write the docs” on bob: 0% of 5h runs used, 0/1 running · alice paused until ${until} · gordon busy (1/1 running)`,
    ),
  ).toBeVisible()
  await page.screenshot({ path: join(ARTIFACTS, 'capacity-allocate-started.png') })

  factory.cli('spec', 'add', '--title', 'Tidy the changelog')
  factory.cli('spec', 'queue', 's_3')
  await allocate.click()
  await expect(
    toast(
      page,
      `Nothing started: bob busy (1/1 running) · alice paused until ${until} · gordon busy (1/1 running)`,
    ),
  ).toBeVisible()
  await page.screenshot({ path: join(ARTIFACTS, 'capacity-allocate-nothing.png') })
  // The two slow runs stop here rather than print for another minute.
  for (const run of factory.cli('runs') as { id: string; state: string }[])
    if (run.state === 'running') factory.cli('run', 'cancel', run.id)
})
