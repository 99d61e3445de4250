import { join } from 'node:path'
import { ARTIFACTS, expect, test } from './factory'
import { card, cell, drag, toast, addFixtureLane } from './board'

test('create a spec, drag it to another column and lane, reload: it is still there', async ({
  page,
  factory,
}) => {
  factory.cli('agent', 'add', 'bob', '--runner', 'claude')
  factory.cli('agent', 'add', 'alice', '--runner', 'codex')
  await page.goto(factory.url)
  await expect(page.getByTestId('lane-bob')).toBeVisible()

  await page.keyboard.press('n')
  await page.getByLabel('Title').fill('Pricing page for the CLI')
  await page.keyboard.press('Enter')
  const created = card(cell(page, 'idea', 'unassigned'), 'Pricing page for the CLI')
  await expect(created).toBeVisible()

  await drag(page, created, cell(page, 'marketing', 'bob'))
  await expect(card(cell(page, 'marketing', 'bob'), 'Pricing page for the CLI')).toBeVisible()

  await page.reload()
  await expect(card(cell(page, 'marketing', 'bob'), 'Pricing page for the CLI')).toBeVisible()
  expect(factory.cli('spec', 'list', '--stage', 'marketing')).toEqual([
    expect.objectContaining({
      title: 'Pricing page for the CLI',
      agent: 'bob',
      stage: 'marketing',
    }),
  ])
  const log = factory.cli('log') as { type: string; actor: string }[]
  expect(log.map((e) => `${e.actor} ${e.type}`)).toContain('browser spec.moved')

  factory.cli('spec', 'add', '--title', 'Onboarding email sequence', '--tag', 'growth')
  factory.cli(
    'spec',
    'add',
    '--title',
    'Launch tweet thread',
    '--stage',
    'marketing',
    '--agent',
    'alice',
  )
  await expect(card(page, 'Launch tweet thread')).toBeVisible()
  await page.screenshot({ path: join(ARTIFACTS, 'board.png') })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: join(ARTIFACTS, 'board-dark.png'), animations: 'disabled' })
})

test('a spec added with the CLI appears on the open board without a reload', async ({
  page,
  factory,
}) => {
  await page.goto(factory.url)
  await expect(page.getByTestId('lane-unassigned')).toBeVisible()
  const navigations: string[] = []
  page.on('framenavigated', (frame) => navigations.push(frame.url()))

  factory.cli('spec', 'add', '--title', 'Added from a terminal')
  await expect(card(cell(page, 'idea', 'unassigned'), 'Added from a terminal')).toBeVisible({
    timeout: 3000,
  })
  factory.cli('spec', 'move', 's_1', '--stage', 'marketing')
  await expect(card(cell(page, 'marketing', 'unassigned'), 'Added from a terminal')).toBeVisible({
    timeout: 3000,
  })
  expect(navigations).toEqual([])
})

test('queue and dispatch a card with the keyboard alone', async ({ page, factory }) => {
  // By hand only: the allocator would otherwise take the queued card before the second key.
  factory.cli('settings', '--auto-dispatch', 'off')
  addFixtureLane(factory, 'gordon', ['done'])
  factory.cli('spec', 'add', '--title', 'Keyboard only')
  await page.goto(factory.url)
  await card(page, 'Keyboard only').focus()
  await page.keyboard.press('Shift+ArrowRight')
  await expect(card(cell(page, 'software', 'unassigned'), 'Keyboard only')).toBeVisible()
  await expect(toast(page, 'Queued “Keyboard only” for the allocator')).toBeVisible()
  expect(factory.cli('spec', 'show', 's_1')).toMatchObject({ status: 'queued', agent: null })
  await card(page, 'Keyboard only').focus()
  await page.keyboard.press('Shift+ArrowDown')
  await expect(card(cell(page, 'software', 'gordon'), 'Keyboard only')).toBeVisible()
  // A key move onto a lane rests as a drop does, so it can be taken back before it spends quota.
  await expect(toast(page, 'Starting “Keyboard only” on gordon…')).toBeVisible()
  await expect(toast(page, 'Started “Keyboard only” on gordon')).toBeVisible()
  expect(factory.cli('spec', 'show', 's_1')).toMatchObject({ stage: 'software', agent: 'gordon' })

  // Ctrl+Z on the board takes the last move back: nothing starts.
  factory.cli('spec', 'add', '--title', 'Taken back')
  await card(page, 'Taken back').focus()
  await page.keyboard.press('Shift+ArrowDown')
  await expect(card(cell(page, 'idea', 'gordon'), 'Taken back')).toBeVisible()
  await card(page, 'Taken back').focus()
  await page.keyboard.press('Shift+ArrowRight')
  await expect(toast(page, 'Starting “Taken back” on gordon…')).toBeVisible()
  await page.keyboard.press('Control+z')
  await expect(toast(page, 'Took “Taken back” back: nothing started')).toBeVisible()
  await expect(card(cell(page, 'idea', 'gordon'), 'Taken back')).toBeVisible()
  expect((factory.cli('runs') as unknown[]).length).toBe(1)
})

test('the drawer renders markdown safely and saves edits', async ({ page, factory }) => {
  const body =
    '# Goal\n\nShip **fast**.\n\n<img src=x onerror="document.title=\'pwned\'">\n\n- [x] done'
  factory.cli('spec', 'add', '--title', 'Markdown spec', '--body', body)
  await page.goto(factory.url)
  await card(page, 'Markdown spec').click()
  const drawer = page.getByTestId('spec-drawer')
  await expect(drawer.getByRole('heading', { name: 'Goal' })).toBeVisible()
  await expect(drawer.locator('strong', { hasText: 'fast' })).toBeVisible()
  await expect(drawer.locator('img')).toHaveCount(0)
  expect(await page.title()).not.toBe('pwned')

  await drawer.getByRole('button', { name: 'Edit' }).click()
  await drawer.getByLabel('Title').fill('Markdown spec, edited')
  await drawer.getByRole('button', { name: 'Save' }).click()
  await expect(card(page, 'Markdown spec, edited')).toBeVisible()
  expect(factory.cli('spec', 'show', 's_1')).toMatchObject({ title: 'Markdown spec, edited' })
  await page.screenshot({ path: join(ARTIFACTS, 'drawer.png') })
})

test('an empty board says what to do next', async ({ page, factory }) => {
  await page.goto(factory.url)
  await expect(page.getByText(/Press N/i).first()).toBeVisible()
  // What to do, in the app's own buttons, not a shell command.
  await expect(page.getByText('Agents appear as lanes: Add a lane below.')).toBeVisible()
  await expect(page.getByText('factory agent add', { exact: false })).toHaveCount(0)
  await page.screenshot({ path: join(ARTIFACTS, 'empty.png') })
})

test('place a new spec from the dialog, move it from the drawer, undo a move', async ({
  page,
  factory,
}) => {
  factory.cli('agent', 'add', 'bob')
  await page.goto(factory.url)
  await page.getByTestId('new-spec').click()
  const dialog = page.getByTestId('new-spec-dialog')
  await dialog.getByLabel('Title').fill('Straight into a lane')
  await dialog.getByLabel('Stage').selectOption('software')
  await dialog.getByLabel('Lane', { exact: true }).selectOption('bob')
  await dialog.getByRole('button', { name: 'Add spec' }).click()
  await expect(card(cell(page, 'software', 'bob'), 'Straight into a lane')).toBeVisible()

  await card(page, 'Straight into a lane').click()
  await page.getByTestId('spec-drawer').getByLabel('Stage').selectOption('marketing')
  await expect(card(cell(page, 'marketing', 'bob'), 'Straight into a lane')).toBeVisible()
  await page.getByRole('button', { name: 'Undo' }).click()
  await expect(card(cell(page, 'software', 'bob'), 'Straight into a lane')).toBeVisible()
  expect(factory.cli('spec', 'show', 's_1')).toMatchObject({ stage: 'software', agent: 'bob' })
})
