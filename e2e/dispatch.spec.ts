// Dispatch by drag that never spends the wrong seat: with three lanes and fifty specs, the lane lit
// up under a still pointer is the lane that runs, even at the board's bottom edge; the board
// scrolls only from its strips; a lane that cannot take the card says why while it is hovered.
import type { Page } from '@playwright/test'
import { join } from 'node:path'
import { ARTIFACTS, expect, test, type Factory } from './factory'
import { card, cell, drag, toast, addFixtureLane, addSpecsThroughPage } from './board'

/** Three lanes by the CLI; fifty specs through the open page's own API (fifty CLI starts are slow). */
async function threeLanesFiftySpecs(factory: Factory, page: Page): Promise<void> {
  const lane = (name: string, cap: string, plan: string) =>
    addFixtureLane(
      factory,
      name,
      ['slow', '20'],
      '--max-concurrent',
      cap,
      '--quota',
      '5h:runs:20',
      '--plan',
      plan,
    )
  lane('bob', '2', 'Claude Max')
  lane('alice', '2', 'Claude Max')
  lane('gordon', '1', 'Claude Pro')
  await page.goto(factory.url)
  await addSpecsThroughPage(
    page,
    Array.from({ length: 50 }, (_, i) => ({
      title: `Spec ${i + 1}: make thing ${i + 1} better`,
      tags: [`t${(i + 1) % 4}`],
    })),
  )
  await page.reload()
}

/** Picks a card up and takes it to (x, y), where the pointer then rests. */
async function pickUpAndHold(page: Page, title: string, x: number, y: number): Promise<void> {
  const box = await card(page, title).boundingBox()
  if (!box) throw new Error(`cannot see “${title}”`)
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width / 2 + 12, box.y + box.height / 2 + 12, { steps: 4 })
  await page.mouse.move(x, y, { steps: 14 })
}

const scrollTop = (page: Page) => page.evaluate(() => document.querySelector('.board')!.scrollTop)

const runsOn = (factory: Factory) =>
  (factory.cli('runs') as { agent: string; specTitle: string }[]).map(
    (run) => `${run.specTitle} → ${run.agent}`,
  )

for (const size of [
  { width: 1440, height: 900, scheme: 'light' as const, target: 'gordon' },
  { width: 1024, height: 700, scheme: 'dark' as const, target: 'alice' },
]) {
  test(`at ${size.width}×${size.height} a drop held still at the bottom edge starts on exactly the lane under the pointer`, async ({
    page,
    factory,
  }) => {
    await page.setViewportSize({ width: size.width, height: size.height })
    await page.emulateMedia({ colorScheme: size.scheme })
    await threeLanesFiftySpecs(factory, page)
    await expect(card(page, 'Spec 50:')).toBeVisible()
    if (size.width === 1440) {
      // Every lane's header is on screen with fifty specs on the board.
      for (const name of ['unassigned', 'bob', 'alice', 'gordon']) {
        const header = await page.getByTestId(`lane-${name}`).boundingBox()
        expect(header!.y + header!.height).toBeLessThanOrEqual(size.height)
      }
    }
    const target = cell(page, 'software', size.target)
    const box = (await target.boundingBox())!
    await pickUpAndHold(page, 'Spec 50:', box.x + box.width / 2, box.y + 20)
    // As low as the cell shows on screen (above the scroll strip, where the board has more below):
    // where an edge zone used to scroll the next lane in under a waiting pointer.
    const strip = page.getByTestId('scroll-strip-down')
    const edge = (await strip.isVisible()) ? (await strip.boundingBox())!.y : size.height
    await page.mouse.move(box.x + box.width / 2, Math.min(box.y + box.height, edge) - 8, {
      steps: 6,
    })
    const before = await scrollTop(page)
    await page.waitForTimeout(1500)
    expect(await scrollTop(page)).toBe(before)
    await expect(target).toHaveClass(/cell-over/)
    await expect(page.locator('.cell-over')).toHaveCount(1)
    await page.screenshot({
      path: join(ARTIFACTS, `dispatch-hold-${size.width}-${size.scheme}.png`),
    })
    await page.mouse.up()

    // It rests first, takeable back, and nothing has started yet.
    await expect(
      toast(page, `Starting “Spec 50: make thing 50 better” on ${size.target}…`),
    ).toBeVisible()
    await expect(
      toast(page, `Started “Spec 50: make thing 50 better” on ${size.target}`),
    ).toBeVisible()
    await expect(page.getByRole('button', { name: 'Undo' })).toHaveCount(0)
    expect(runsOn(factory)).toEqual([`Spec 50: make thing 50 better → ${size.target}`])
  })
}

test('the board scrolls from its bottom strip, not from a cell; a full lane says why while hovered', async ({
  page,
  factory,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 })
  await threeLanesFiftySpecs(factory, page)
  // gordon takes one run at a time: with one running it can take no other.
  factory.cli('dispatch', 's_1', '--agent', 'gordon')
  await expect(page.getByTestId('lane-gordon').getByTestId('lane-running')).toHaveText(
    '1/1 running',
  )

  const first = (await card(page, 'Spec 50:').boundingBox())!
  await pickUpAndHold(page, 'Spec 50:', first.x + first.width / 2, first.y + 80)
  const strip = page.getByTestId('scroll-strip-down')
  await expect(strip).toBeVisible()
  const stripBox = (await strip.boundingBox())!
  await page.mouse.move(stripBox.x + stripBox.width / 2, stripBox.y + stripBox.height / 2, {
    steps: 6,
  })
  await expect.poll(() => scrollTop(page)).toBeGreaterThan(100)

  // Off the strip and onto gordon's Software cell: it says it cannot start the card, and why.
  const gordon = cell(page, 'software', 'gordon')
  const box = (await gordon.boundingBox())!
  await page.mouse.move(box.x + box.width / 2, box.y + 20, { steps: 6 })
  await expect(gordon.getByTestId('cell-refusal')).toHaveText(
    'Can’t start here now: At its limit · 1/1 running',
  )
  await expect(gordon).toHaveClass(/cell-over-refused/)
  // Beside the pointer too, where the cell's own note may be under the card being dragged.
  await expect(page.getByTestId('drag-refusal')).toHaveText(
    'Can’t start on gordon: At its limit · 1/1 running',
  )
  await page.screenshot({ path: join(ARTIFACTS, 'dispatch-refusal-1024.png') })
  await page.mouse.up()
  // Refused at once, in the lane's own words: no "Starting…" that was never true.
  await expect(
    toast(page, '“Spec 50: make thing 50 better” went back: At its limit · 1/1 running'),
  ).toBeVisible()
  await expect(toast(page, 'Starting “Spec 50')).toHaveCount(0)
  expect(runsOn(factory)).toEqual(['Spec 1: make thing 1 better → gordon'])
})

test('a drop can be taken back before it starts anything; Undo leaves the card where it was', async ({
  page,
  factory,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.emulateMedia({ colorScheme: 'dark' })
  await threeLanesFiftySpecs(factory, page)
  await drag(page, card(page, 'Spec 49:'), cell(page, 'software', 'bob'))
  // At once: the rest is three seconds.
  await toast(page, '“Spec 49: make thing 49 better” on bob…')
    .getByRole('button', { name: 'Undo' })
    .click()
  await expect(
    toast(page, 'Took “Spec 49: make thing 49 better” back: nothing started'),
  ).toBeVisible()
  await expect(card(cell(page, 'idea', 'unassigned'), 'Spec 49:')).toBeVisible()
  await page.screenshot({ path: join(ARTIFACTS, 'dispatch-undo-1440-dark.png') })
  // Past the rest: still nothing started.
  await page.waitForTimeout(3500)
  expect(runsOn(factory)).toEqual([])
})

test('the allocator says why it chose a lane: in the toast (Undo gone), the drawer and the run view', async ({
  page,
  factory,
}) => {
  await page.setViewportSize({ width: 1024, height: 700 })
  await threeLanesFiftySpecs(factory, page)
  // gordon busy with one, so the reason names it.
  factory.cli('dispatch', 's_1', '--agent', 'gordon')
  await drag(page, card(page, 'Spec 48:'), cell(page, 'software', 'unassigned'))
  await expect(
    toast(page, 'Queued “Spec 48: make thing 48 better” for the allocator'),
  ).toBeVisible()
  const started = toast(page, 'Started “Spec 48: make thing 48 better” on')
  await expect(started).toContainText(
    /The allocator chose (bob|alice): 0% of 5h runs used, 0\/2 running · (alice|bob) 0% used, 0\/2 running · gordon busy \(1\/1 running\)/,
  )
  await expect(page.getByRole('button', { name: 'Undo' })).toHaveCount(0)
  await page.screenshot({ path: join(ARTIFACTS, 'dispatch-allocator-toast-1024.png') })
  await started.getByRole('button', { name: 'Open run' }).click()
  await expect(page.getByTestId('run-placement')).toContainText('The allocator chose ')
  await page.screenshot({ path: join(ARTIFACTS, 'dispatch-allocator-run-1024.png') })
  await page.keyboard.press('Escape')
  await card(page, 'Spec 48:').click()
  await expect(page.getByTestId('run-item').getByTestId('run-placement')).toContainText(
    'gordon busy (1/1 running)',
  )
})

test('a spec queued on a lane is pinned there, visibly, and can be let go to any lane', async ({
  page,
  factory,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await threeLanesFiftySpecs(factory, page)
  factory.cli('dispatch', 's_1', '--agent', 'gordon')
  factory.cli('spec', 'queue', 's_2', '--agent', 'gordon')
  const pinned = card(cell(page, 'software', 'gordon'), 'Spec 2:')
  await expect(pinned.getByTestId('card-pin')).toHaveText('Pinned to gordon')
  await expect(pinned.getByTestId('card-queue-wait')).toContainText(
    'Waits for a run on gordon to end',
  )
  await pinned.click()
  await expect(page.getByTestId('drawer-pin')).toContainText('only gordon runs it')
  await page.screenshot({ path: join(ARTIFACTS, 'dispatch-pinned-1440.png') })
  await page.getByRole('button', { name: 'Let any lane take it' }).click()
  // Unpinned, the allocator starts it at once on a free Max seat.
  await expect(
    page
      .getByTestId('toast')
      .filter({ hasText: /Started “Spec 2: make thing 2 better” on (bob|alice)/ }),
  ).toBeVisible()
  expect(runsOn(factory).filter((run) => run.startsWith('Spec 2:'))).toEqual([
    expect.stringMatching(/→ (bob|alice)$/),
  ])
})

test('finished cards stay compact and counted; cards say what they last did', async ({
  page,
  factory,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  addFixtureLane(factory, 'bob', ['ship', '0'])
  addFixtureLane(factory, 'alice', ['slow', '20'])
  for (const n of [1, 2, 3]) {
    factory.cli('spec', 'add', '--title', `Shipped ${n}`)
    factory.cli('dispatch', `s_${n}`, '--agent', 'bob', '--wait')
  }
  factory.cli('spec', 'add', '--title', 'At work')
  factory.cli('dispatch', 's_4', '--agent', 'alice')
  await page.goto(factory.url)
  const shipped = cell(page, 'marketing', 'bob')
  await expect(shipped.getByTestId('card')).toHaveCount(1)
  await expect(shipped.getByTestId('card').locator('.card-age')).toHaveText('just now')
  await expect(shipped.getByTestId('cell-more')).toHaveText('2 more · 3 shipped this week')
  await expect(card(page, 'At work').locator('.card-age')).toHaveText('just started')
  await page.screenshot({ path: join(ARTIFACTS, 'dispatch-finished-1440.png') })
})
