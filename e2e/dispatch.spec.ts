// Dispatch by drag that never spends the wrong seat: with three lanes and fifty specs, the lane lit
// up under a still pointer is the lane that runs, even at the board's bottom edge; the board
// scrolls only from its strips; a lane that cannot take the card says why while it is hovered.
import type { Page } from '@playwright/test'
import { join } from 'node:path'
import { ARTIFACTS, expect, test, type Factory } from './factory'
import { card, cell, fixture, toast } from './board'

/** Three lanes by the CLI; fifty specs through the open page's own API (fifty CLI starts are slow). */
async function threeLanesFiftySpecs(factory: Factory, page: Page): Promise<void> {
  const lane = (name: string, cap: string, plan: string) =>
    factory.cli(
      'agent',
      'add',
      name,
      '--runner',
      'command',
      '--command',
      fixture('slow', '20'),
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
  await page.evaluate(async () => {
    for (let n = 1; n <= 50; n++) {
      const response = await fetch('/api/spec/add', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: `Spec ${n}: make thing ${n} better`, tags: [`t${n % 4}`] }),
      })
      if (!response.ok) throw new Error(`spec/add answered ${response.status}`)
    }
  })
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

    await expect(
      toast(page, `Started “Spec 50: make thing 50 better” on ${size.target}`),
    ).toBeVisible()
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
  await expect(toast(page, '“Spec 50: make thing 50 better” went back')).toBeVisible()
  expect(runsOn(factory)).toEqual(['Spec 1: make thing 1 better → gordon'])
})
