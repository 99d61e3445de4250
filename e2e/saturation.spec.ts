import Database from 'better-sqlite3'
import { join } from 'node:path'
import { ARTIFACTS, expect, test, type Factory } from './factory'

const HOUR = 3_600_000
const DAY = 24 * HOUR

const STEP = 5 * 60_000

/**
 * Usage every 5 minutes over the last 30 days, busy in working hours, quiet at night, with bursts;
 * what falls inside the last 7 days adds up to exactly `weekTotal`, so the idle figures are round.
 */
function usage(agent: string, weekTotal: number, column: string, phase: number, now: number) {
  const weekStart = now - 7 * DAY
  // No rows within 10 minutes of the week's start: which side of it they fall on is the clock's call.
  const steps = Array.from({ length: 30 * 288 }, (_, k) => now - k * STEP - 2 * 60_000).filter(
    (ts) => Math.abs(ts - weekStart) > 10 * 60_000,
  )
  const weight = (ts: number, k: number) => {
    const hour = (new Date(ts).getUTCHours() + phase) % 24
    const day = hour >= 8 && hour < 19 ? 1 : hour >= 19 && hour < 23 ? 0.35 : 0.04
    const wave = 1 + 0.7 * Math.sin(k / (37 + phase)) * Math.cos(k / 11)
    const burst = Math.floor(k / 24 + phase) % 17 === 0 ? 2.5 : 1
    return day * wave * burst
  }
  const weights = steps.map((ts, k) => weight(ts, k))
  const weekWeight = steps.reduce((sum, ts, k) => sum + (ts > weekStart ? weights[k]! : 0), 0)
  // Rounded on the running sum, so the amounts stay whole and the week adds up exactly.
  let running = 0
  let rounded = 0
  return steps.map((ts, k) => {
    running += (weights[k]! / weekWeight) * weekTotal
    const amount = Math.round(running) - rounded
    rounded += amount
    return { agent, ts, column, amount }
  })
}

function seedUsage(factory: Factory, rows: ReturnType<typeof usage>): void {
  const db = new Database(factory.db)
  const insert = (column: string) =>
    db.prepare(`INSERT INTO usage (run_id, agent, ts, ${column}) VALUES ('r_seed', ?, ?, ?)`)
  db.transaction(() => {
    for (const row of rows) insert(row.column).run(row.agent, row.ts, row.amount)
  })()
  db.close()
}

test('the saturation view: utilization per agent over time, idle capacity shaded, idle quota this week in plain numbers', async ({
  page,
  factory,
}) => {
  // alice may use 2M tokens per 5h (67.2M a week), bob 1M (33.6M), dave 200 messages (6,720).
  factory.cli('agent', 'add', 'alice', '--quota', '5h:tokens:2000000', '--quota', '7d:usd:500')
  factory.cli('agent', 'add', 'bob', '--quota', '5h:tokens:1000000')
  factory.cli('agent', 'add', 'carol')
  factory.cli('agent', 'add', 'dave', '--runner', 'codex', '--quota', '5h:messages:200')
  const now = Date.now()
  seedUsage(factory, [
    ...usage('alice', 16_800_000, 'output_tokens', 0, now), // 75% idle
    // 25% of his week's tokens unused, but spent over his limit in working hours: his meter had
    // room about 40% of the time, which is what idle means (an overshoot does not fill the night).
    ...usage('bob', 25_200_000, 'output_tokens', 3, now),
    ...usage('carol', 3_200_000, 'input_tokens', 6, now),
    ...usage('dave', 3_360, 'turns', 9, now), // 50% idle
  ])

  await page.goto(factory.url)
  await page.getByTestId('open-saturation').click()
  const view = page.getByTestId('saturation-view')
  await expect(view).toBeVisible()
  await expect(view).toBeFocused()
  const chart = view.getByTestId('saturation-chart')
  await expect(chart).toHaveAttribute('data-buckets', '168')
  const canvas = chart.locator('canvas')
  await expect(canvas).toBeVisible()
  expect((await canvas.boundingBox())!.width).toBeGreaterThan(600)
  await expect(view.getByTestId('legend-item')).toHaveText([/Portfolio/, /alice/, /bob/, /dave/])

  const idle = (agent: string) => view.locator(`[data-testid=idle-agent][data-agent=${agent}]`)
  await expect(idle('alice').getByTestId('idle-share')).toHaveText('75% idle')
  await expect(idle('alice').getByTestId('idle-per-window')).toHaveText(
    '1.5M of 2M tokens per 5h left unused on average',
  )
  await expect(idle('alice').getByTestId('idle-shares')).toHaveText(
    'used 25% · idle 75% · blocked 0%',
  )
  // Where the week's 5-hour windows fall against his working hours moves it with the clock of the
  // run: 38.4% to 40.8% over a day, measured by sweeping the hour. Never the 25% of unused tokens.
  await expect(idle('bob').getByTestId('idle-share')).toHaveText(/^(38|39|40|41)% idle$/)
  await expect(idle('bob').getByTestId('idle-per-window')).toHaveText(
    /^\d+(\.\d)?k of 1M tokens per 5h left unused on average$/,
  )
  await expect(idle('dave').getByTestId('idle-per-window')).toHaveText(
    /^\d+(\.\d)? of 200 messages per 5h left unused on average$/,
  )
  await expect(view.getByTestId('idle-total')).toContainText(/\d+%/)
  await expect(view.getByTestId('no-windows-agent')).toContainText('carol')
  // The way to give it one is a button to its lane's settings, not a command to type.
  await expect(view.getByTestId('no-windows-agent')).toContainText('Give carol a quota window')
  await page.screenshot({ path: join(ARTIFACTS, 'saturation.png') })

  // Hovering shows each line's value in that hour.
  const box = (await canvas.boundingBox())!
  await page.mouse.move(box.x + box.width * 0.8, box.y + box.height / 2)
  await expect(view.getByTestId('saturation-legend')).toContainText(/1 hour/)
  await page.screenshot({ path: join(ARTIFACTS, 'saturation-hover.png') })

  // Zooming into a few hours asks for 5-minute buckets; "Show all" goes back to hours.
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width * 0.66, box.y + box.height / 2, { steps: 6 })
  await page.mouse.up()
  await expect(chart).toHaveAttribute('data-bucket-ms', '300000')
  await expect(view.getByTestId('saturation-zoom')).toContainText('5-minute buckets')
  await page.screenshot({ path: join(ARTIFACTS, 'saturation-zoomed.png') })
  await view.getByText('Show all 7 days').click()
  await expect(chart).toHaveAttribute('data-bucket-ms', '3600000')

  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: join(ARTIFACTS, 'saturation-dark.png'), animations: 'disabled' })

  await view.getByTestId('range-30').click()
  await expect(view.getByTestId('range-30')).toHaveAttribute('aria-pressed', 'true')
  await expect(chart).toHaveAttribute('data-buckets', '720')
  // Showing one agent alone shades that agent's idle capacity instead of the portfolio's.
  for (const name of ['Portfolio', 'bob', 'dave']) {
    await view.getByTestId('legend-item').filter({ hasText: name }).click()
  }
  await expect(view.getByTestId('legend-item').first()).toHaveAttribute('aria-pressed', 'false')
  await expect(view.getByText('blocked capacity of alice')).toBeVisible()
  await page.screenshot({
    path: join(ARTIFACTS, 'saturation-30d-dark.png'),
    animations: 'disabled',
  })

  // New usage arrives (bob spends 8.4M now, past his 5h limit) and the view reads it by itself.
  seedUsage(factory, [{ agent: 'bob', ts: Date.now(), column: 'output_tokens', amount: 8_400_000 }])
  factory.cli('agent', 'set', 'bob', '--plan', 'Max 5x') // a pushed agent event, as a run's would be
  const bobNow = view.locator('[data-testid=right-now-lane][data-agent=bob]')
  await expect(bobNow.getByTestId('right-now-state')).toHaveText(
    /^Full until (tomorrow )?\d\d:\d\d$/,
  )

  await page.keyboard.press('Escape')
  await expect(view).toBeHidden()
  await expect(page.getByTestId('open-saturation')).toBeFocused()
  await page.keyboard.press('s')
  await expect(view).toBeVisible()
})

test('the saturation view says what to do without agents or quota windows', async ({
  page,
  factory,
}) => {
  await page.goto(factory.url)
  await page.keyboard.press('s')
  const view = page.getByTestId('saturation-view')
  await expect(view.getByTestId('saturation-empty')).toContainText('No agents yet')
  factory.cli('agent', 'add', 'carol')
  await expect(view.getByTestId('saturation-empty')).toContainText('No quota windows yet')
  await expect(view.getByTestId('saturation-empty')).toContainText(
    'Give a lane its subscription’s quota windows in its settings',
  )
  await page.screenshot({ path: join(ARTIFACTS, 'saturation-empty.png') })
})
