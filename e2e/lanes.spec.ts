// Lanes as capacity: a drop onto a lane runs the spec there, a lane that cannot take it refuses
// with the reason and the card goes back, a held lane says until when, and a drop on Unassigned
// is taken by the allocator by itself.
import type { Page } from '@playwright/test'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ARTIFACTS, expect, test } from './factory'
import { card, cell, drag, fixture, toast, addFixtureLane } from './board'
import { formatTime } from '../renderer/src/time'

/** "14:05" ("tomorrow 01:05" past midnight) as the app says it, in this machine's zone. */
const clockInPage = (_page: Page, ms: number): Promise<string> =>
  Promise.resolve(formatTime(ms, Date.now()))

test('drag a spec onto a lane: it runs there and ships; the lane shows its runs against its cap', async ({
  page,
  factory,
}) => {
  addFixtureLane(factory, 'bob', ['ship', '1500'], '--max-concurrent', '2', '--quota', '5h:runs:10')
  factory.cli('spec', 'add', '--title', 'Status page')
  await page.goto(factory.url)
  const header = page.getByTestId('lane-bob')
  await expect(header.getByTestId('lane-running')).toHaveText('0/2 running')

  await drag(page, card(page, 'Status page'), cell(page, 'software', 'bob'))
  await expect(toast(page, 'Started “Status page” on bob')).toBeVisible()
  await expect(card(cell(page, 'software', 'bob'), 'Status page')).toBeVisible()
  await expect(header.getByTestId('lane-running')).toHaveText('1/2 running')
  await expect(header.getByTestId('lane-meter')).toContainText('5h runs')
  await expect(header.getByTestId('lane-meter')).toContainText('10%')
  await page.screenshot({ path: join(ARTIFACTS, 'lanes-running.png') })

  await expect(card(cell(page, 'marketing', 'bob'), 'Status page')).toBeVisible({ timeout: 15_000 })
  await expect(header.getByTestId('lane-running')).toHaveText('0/2 running')
})

test('a lane over a quota window refuses the drop with the reason, and the card goes back', async ({
  page,
  factory,
}) => {
  addFixtureLane(factory, 'alice', ['done'], '--quota', '5h:runs:1')
  factory.cli('spec', 'add', '--title', 'Used the quota')
  factory.cli('dispatch', 's_1', '--agent', 'alice', '--wait')
  factory.cli('spec', 'add', '--title', 'One too many')
  await page.goto(factory.url)
  const header = page.getByTestId('lane-alice')
  await expect(header.getByTestId('lane-meter')).toContainText('100%')
  const [usage] = factory.cli('usage', '--agent', 'alice') as { windows: { freesAt: number }[] }[]
  const frees = await clockInPage(page, usage!.windows[0]!.freesAt)
  await expect(header.getByTestId('lane-hold')).toContainText(`Full until ${frees}`)

  await drag(page, card(page, 'One too many'), cell(page, 'software', 'alice'))
  await expect(
    toast(page, `“One too many” went back: Full until ${frees} · 5h runs used up`),
  ).toBeVisible()
  await expect(card(cell(page, 'idea', 'unassigned'), 'One too many')).toBeVisible()
  expect(factory.cli('spec', 'show', 's_2')).toMatchObject({ stage: 'idea', status: 'new' })
  await page.screenshot({ path: join(ARTIFACTS, 'lanes-refused.png') })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: join(ARTIFACTS, 'lanes-refused-dark.png'), animations: 'disabled' })

  // The refusal offers the way to wait for that lane: its queue, where it starts once it frees up.
  await toast(page, 'went back').getByRole('button', { name: 'Queue on alice' }).click()
  await expect(toast(page, 'Queued “One too many” for alice')).toBeVisible()
  await expect(card(cell(page, 'software', 'alice'), 'One too many')).toBeVisible()
  expect(factory.cli('spec', 'show', 's_2')).toMatchObject({ agent: 'alice', status: 'queued' })
})

test('a paused lane shows until when and why; a drop on Unassigned goes to the free lane by itself', async ({
  page,
  factory,
}) => {
  addFixtureLane(factory, 'gordon', ['done'])
  addFixtureLane(factory, 'bob', ['done'])
  const paused = factory.cli(
    'agent',
    'pause',
    'gordon',
    '--until',
    '2h',
    '--reason',
    'quota_exhausted: usage limit reached',
  ) as { pausedUntil: number }
  factory.cli('spec', 'add', '--title', 'For whoever is free')
  await page.goto(factory.url)
  const hold = page.getByTestId('lane-gordon').getByTestId('lane-hold')
  await expect(hold).toContainText(`Paused until ${await clockInPage(page, paused.pausedUntil)}`)
  // The reason in words, not the failure class the hold was written with.
  await expect(hold.locator('.hold-reason')).toHaveText('usage limit')
  await page.screenshot({ path: join(ARTIFACTS, 'lanes-paused.png') })
  // The drawer's Run list says it too, before Run is pressed.
  await card(page, 'For whoever is free').click()
  await expect(page.getByLabel('Agent to run it').locator('option[value=gordon]')).toHaveText(
    `gordon — Paused until ${await clockInPage(page, paused.pausedUntil)} · usage limit`,
  )
  await page.keyboard.press('Escape')

  await drag(page, card(page, 'For whoever is free'), cell(page, 'software', 'unassigned'))
  await expect(toast(page, 'Queued “For whoever is free” for the allocator')).toBeVisible()
  // The allocator skips the paused lane and starts it on bob, with no one carrying it there.
  await expect(card(cell(page, 'software', 'bob'), 'For whoever is free')).toBeVisible({
    timeout: 10_000,
  })
  const dispatched = (
    factory.cli('log') as { type: string; payload: { agent?: string; reason?: string } }[]
  ).find((e) => e.type === 'spec.dispatched')
  expect(dispatched?.payload).toMatchObject({
    agent: 'bob',
    // Why bob, against the lane it passed over.
    reason: `to bob: no quota windows, 0/1 running · gordon paused until ${await clockInPage(page, paused.pausedUntil)}`,
  })

  factory.cli('agent', 'resume', 'gordon')
  await expect(hold).toHaveCount(0)
})

test('add a lane in the app with its subscription, then edit and pause it', async ({
  page,
  factory,
}) => {
  await page.goto(factory.url)
  await page.getByTestId('add-lane').click()
  const dialog = page.getByTestId('agent-dialog')
  await dialog.getByLabel('Name').fill('alice')
  await dialog.getByLabel('Runner').selectOption('command')
  await dialog.getByLabel('Command').fill(fixture('done'))
  await dialog.getByLabel('Runs at once').fill('2')
  await dialog.getByLabel('Plan').fill('Claude Max 20x')
  await dialog.getByRole('button', { name: 'Add a window' }).click()
  await dialog.getByLabel('Window 1 limit').fill('2000000')
  await dialog.getByRole('button', { name: 'Add a window' }).click()
  await dialog.getByLabel('Window 2 length').fill('7x')
  await dialog.getByLabel('Window 2 unit').selectOption('usd')
  await dialog.getByLabel('Window 2 limit').fill('200')
  await dialog.getByTestId('agent-save').click()
  // A window it cannot read is refused in place, with what is wrong.
  await expect(dialog.getByTestId('agent-error')).toContainText(
    'the window is a duration like 5h or 7d',
  )
  await dialog.getByLabel('Window 2 length').fill('7d')
  await page.screenshot({ path: join(ARTIFACTS, 'agent-dialog.png') })
  await dialog.getByTestId('agent-save').click()
  await expect(dialog).toHaveCount(0)

  const header = page.getByTestId('lane-alice')
  await expect(header.getByTestId('lane-running')).toHaveText('0/2 running')
  await expect(header.getByTestId('lane-meter')).toHaveCount(2)
  expect(factory.cli('agent', 'list')).toEqual([
    expect.objectContaining({
      name: 'alice',
      plan: 'Claude Max 20x',
      maxConcurrent: 2,
      quotas: [
        expect.objectContaining({ window: '5h', unit: 'tokens', limit: 2_000_000 }),
        expect.objectContaining({ window: '7d', unit: 'usd', limit: 200_000_000 }),
      ],
    }),
  ])

  await header.getByRole('button', { name: 'alice' }).click()
  await expect(dialog.getByLabel('Window 2 limit')).toHaveValue('200')
  await dialog.getByLabel('Runs at once').fill('3')
  await dialog.getByTestId('agent-save').click()
  await expect(header.getByTestId('lane-running')).toHaveText('0/3 running')

  await header.getByRole('button', { name: 'alice' }).click()
  await dialog.getByRole('button', { name: 'Pause lane' }).click()
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(header.getByTestId('lane-hold')).toContainText('Paused')
  await expect(header.getByTestId('lane-hold')).toContainText('paused by hand')
  await page.screenshot({ path: join(ARTIFACTS, 'lanes-header.png') })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: join(ARTIFACTS, 'lanes-header-dark.png'), animations: 'disabled' })
})

test('a chained spec waits on its card, then starts by itself once the one it depends on ships', async ({
  page,
  factory,
}) => {
  addFixtureLane(factory, 'bob', ['ship', '800'])
  factory.cli('spec', 'add', '--title', 'Billing API')
  factory.cli('spec', 'add', '--title', 'Billing page', '--depends-on', 's_1')
  factory.cli('spec', 'queue', 's_2')
  await page.goto(factory.url)
  const waiting = card(cell(page, 'software', 'unassigned'), 'Billing page')
  await expect(waiting.getByTestId('card-waiting')).toHaveText('Waits for “Billing API” to ship')
  await page.screenshot({ path: join(ARTIFACTS, 'lanes-chained.png') })

  // Only the card in Idea: the waiting one names “Billing API” too.
  await drag(
    page,
    card(cell(page, 'idea', 'unassigned'), 'Billing API'),
    cell(page, 'software', 'bob'),
  )
  await expect(card(cell(page, 'marketing', 'bob'), 'Billing API')).toBeVisible({ timeout: 15_000 })
  await expect(card(cell(page, 'marketing', 'bob'), 'Billing page')).toBeVisible({
    timeout: 15_000,
  })
})

test('usage done outside the factory counts: Claude Code’s session logs fill the lane’s meter', async ({
  page,
  factory,
}) => {
  const projects = join(factory.dir, 'claude-projects')
  mkdirSync(join(projects, '-home-me-site'), { recursive: true })
  const message = (id: string) =>
    JSON.stringify({
      cwd: '/home/me/site',
      sessionId: '9ecbeb02-4f54-4380-9b7b-38cdf9a92eab',
      message: {
        id,
        type: 'message',
        role: 'assistant',
        model: 'claude-sonnet-4-20250514',
        content: [{ type: 'text', text: 'Done.' }],
        usage: {
          input_tokens: 1000,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: 500,
        },
      },
      requestId: `req_${id}`,
      type: 'assistant',
      uuid: `u-${id}`,
      timestamp: new Date(Date.now() - 10 * 60_000).toISOString(),
    })
  writeFileSync(
    join(projects, '-home-me-site', 'session.jsonl'),
    `${message('msg_1')}\n${message('msg_2')}\n`,
  )
  factory.cli('agent', 'add', 'bob', '--quota', '5h:tokens:10000')
  factory.cli('agent', 'set', 'bob', '--claude-logs', projects)
  await page.goto(factory.url)
  const header = page.getByTestId('lane-bob')
  await header.getByRole('button', { name: 'bob' }).click()
  const dialog = page.getByTestId('agent-dialog')
  await dialog.getByRole('button', { name: 'Read usage now' }).click()
  // The app may have read them in the background already; either way they count once.
  await expect(dialog.getByTestId('sync-result')).toContainText('Claude logs:')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(header.getByTestId('lane-meter')).toContainText('30%')
  await dialog.page().reload()
  await expect(header.getByTestId('lane-meter')).toContainText('30%')
})

test('Shift+arrows cross Software without starting anything; a running card stays put', async ({
  page,
  factory,
}) => {
  addFixtureLane(factory, 'bob', ['ship', '1500'])
  factory.cli('spec', 'add', '--title', 'Launch post')
  factory.cli('spec', 'add', '--title', 'Signup form')
  await page.goto(factory.url)

  // Two quick presses: Idea → Software → Marketing. Auto-dispatch is on, yet nothing ran.
  await card(page, 'Launch post').focus()
  await page.keyboard.press('Shift+ArrowRight')
  await page.keyboard.press('Shift+ArrowRight')
  await expect(toast(page, 'Moved “Launch post” to Marketing · Unassigned')).toBeVisible()
  expect(factory.cli('spec', 'show', 's_1')).toMatchObject({ stage: 'marketing', status: 'new' })
  expect(factory.cli('runs')).toEqual([])

  // A card whose run is at work is not moved away from it.
  factory.cli('dispatch', 's_2', '--agent', 'bob')
  const running = card(cell(page, 'software', 'bob'), 'Signup form')
  await expect(running).toBeVisible()
  await running.focus()
  await page.keyboard.press('Shift+ArrowLeft')
  await expect(toast(page, '“Signup form” stays put while its run is at work on bob')).toBeVisible()
  await expect(running).toBeVisible()
  expect(factory.cli('spec', 'show', 's_2')).toMatchObject({ stage: 'software', agent: 'bob' })
})

test('a queued card moved back to Idea leaves the queue; Undo queues it again', async ({
  page,
  factory,
}) => {
  factory.cli('settings', '--auto-dispatch', 'off')
  factory.cli('spec', 'add', '--title', 'Not yet')
  factory.cli('spec', 'queue', 's_1')
  await page.goto(factory.url)
  await card(cell(page, 'software', 'unassigned'), 'Not yet').focus()
  await page.keyboard.press('Shift+ArrowLeft')
  await expect(toast(page, 'Moved “Not yet” to Idea · Unassigned, out of the queue')).toBeVisible()
  expect(factory.cli('spec', 'show', 's_1')).toMatchObject({ stage: 'idea', status: 'new' })
  await toast(page, 'out of the queue').getByRole('button', { name: 'Undo' }).click()
  await expect(card(cell(page, 'software', 'unassigned'), 'Not yet')).toBeVisible()
  expect(factory.cli('spec', 'show', 's_1')).toMatchObject({ stage: 'software', status: 'queued' })
})

test('a drop on a remote lane writes the spec to its queue, and the card and run say so', async ({
  page,
  factory,
}) => {
  const queue = join(factory.dir, 'eve-queue')
  addFixtureLane(factory, 'eve', ['done'], '--queue', queue, '--max-concurrent', '1')
  factory.cli('spec', 'add', '--title', 'Runs elsewhere')
  factory.cli('spec', 'add', '--title', 'Also elsewhere')
  await page.goto(factory.url)
  await drag(page, card(page, 'Runs elsewhere'), cell(page, 'software', 'eve'))
  const queued = card(cell(page, 'software', 'eve'), 'Runs elsewhere')
  await expect(queued.getByTestId('card-queue-wait')).toHaveText(
    'In eve’s queue, for its drainer to claim',
  )
  expect(readdirSync(join(queue, 'new'))).toHaveLength(1)
  // A queue is a queue: a second one waits there too, though eve runs one at a time.
  await drag(page, card(page, 'Also elsewhere'), cell(page, 'software', 'eve'))
  await expect(toast(page, 'Sent “Also elsewhere” to eve’s queue')).toBeVisible()
  expect(readdirSync(join(queue, 'new'))).toHaveLength(2)
  await expect(page.getByTestId('lane-eve').getByTestId('lane-waiting')).toHaveText(
    '2 waiting in its queue',
  )
  await page.screenshot({ path: join(ARTIFACTS, 'lanes-remote-queue.png') })
  await toast(page, 'Sent “Also elsewhere” to eve’s queue')
    .getByRole('button', { name: 'Open run' })
    .click()
  await expect(page.getByTestId('transcript-empty')).toHaveText(
    'Waiting in its lane’s queue until the agent’s own machine picks it up.',
  )
})
