// The board at a laptop's size and a desktop's, light and dark, with three lanes and fifty specs:
// every lane's header is on screen, the header keeps its words, Tab crosses the board a cell at a
// time, toasts lie over nothing, and a card squeezed by the drawer wraps its tags whole.
import type { Locator, Page } from '@playwright/test'
import { join } from 'node:path'
import { ARTIFACTS, expect, test, type Factory } from './factory'
import { card, cell, drag, addFixtureLane, addSpecsThroughPage } from './board'

const LANES = ['unassigned', 'bob', 'alice', 'gordon']

/**
 * Three lanes; fifty specs, most unassigned, ten in each agent's lane (Idea and Marketing, so each
 * cell shows a card and "N more"), each with four tags.
 */
async function seed(factory: Factory, page: Page): Promise<void> {
  factory.cli('settings', '--auto-dispatch', 'off')
  for (const name of ['bob', 'alice', 'gordon']) addFixtureLane(factory, name, ['done'])
  await page.goto(factory.url)
  const lanes = [null, null, 'bob', 'alice', 'gordon']
  await addSpecsThroughPage(
    page,
    Array.from({ length: 50 }, (_, i) => {
      const n = i + 1
      return {
        title: `Spec ${n}: make thing ${n} better`,
        tags: [`t${n % 4}`, 'billing', 'onboarding', 'docs'],
        agent: lanes[n % 5],
        stage: lanes[n % 5] && n % 2 === 0 ? 'marketing' : 'idea',
      }
    }),
  )
  await page.reload()
  await expect(card(page, 'Spec 50:')).toBeVisible()
}

type Box = { x: number; y: number; width: number; height: number }

const box = async (locator: Locator): Promise<Box> => {
  const found = await locator.boundingBox()
  if (!found) throw new Error(`cannot see ${locator.toString()}`)
  return found
}

const overlaps = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

/** The part of each card the board shows (a card scrolled half out of view shows only half). */
async function visibleCards(page: Page): Promise<Box[]> {
  return page.evaluate(() => {
    const board = document.querySelector('.board')!.getBoundingClientRect()
    return [...document.querySelectorAll('.board [data-testid="card"]')].flatMap((element) => {
      const r = element.getBoundingClientRect()
      const top = Math.max(r.top, board.top)
      const bottom = Math.min(r.bottom, board.bottom)
      const left = Math.max(r.left, board.left)
      const right = Math.min(r.right, board.right)
      return bottom > top && right > left
        ? [{ x: left, y: top, width: right - left, height: bottom - top }]
        : []
    })
  })
}

/** How many Tabs from the focused element until focus is inside `target`, at most `limit`. */
async function tabsUntilInside(page: Page, target: Locator, limit: number): Promise<number> {
  for (let n = 1; n <= limit; n++) {
    await page.keyboard.press('Tab')
    if (await target.evaluate((element) => element.contains(document.activeElement))) return n
  }
  return Infinity
}

const focusedCardTitle = (page: Page) =>
  page.evaluate(() =>
    document.activeElement?.getAttribute('data-testid') === 'card'
      ? document.activeElement.querySelector('.card-title')?.textContent
      : null,
  )

for (const size of [
  { width: 1440, height: 900, scheme: 'light' as const },
  { width: 1024, height: 700, scheme: 'dark' as const },
]) {
  test.describe(`at ${size.width}×${size.height}, ${size.scheme}`, () => {
    test.beforeEach(async ({ page, factory }) => {
      await page.setViewportSize({ width: size.width, height: size.height })
      await page.emulateMedia({ colorScheme: size.scheme })
      await seed(factory, page)
    })

    test('every lane header is on screen, and the header keeps its words', async ({ page }) => {
      const columns = await box(page.locator('.board-columns'))
      const headers: Box[] = []
      for (const lane of LANES) {
        const header = page.getByTestId(`lane-${lane}`)
        await expect(header).toBeInViewport({ ratio: 1 })
        const b = await box(header)
        // Below the column headers, not under them, and clear of each other.
        expect(b.y).toBeGreaterThanOrEqual(columns.y + columns.height)
        for (const other of headers) expect(overlaps(b, other)).toBe(false)
        headers.push(b)
      }
      // gordon's capacity and name button are there to use, not only drawn.
      await expect(
        page.getByTestId('lane-gordon').getByRole('button', { name: 'gordon' }),
      ).toBeInViewport()

      const header = page.locator('header.header')
      await expect(header.getByRole('heading', { name: 'Factory Stack' })).toBeVisible()
      await expect(page.getByTestId('connection')).toHaveText('Live')
      for (const name of ['Go to…', 'Saturation', 'New spec'])
        await expect(header.getByRole('button', { name })).toBeVisible()
      // Nothing in it spills past the window's edge or over its neighbour.
      const words = header.locator(
        '.header-title, .connection-label, [data-testid="open-palette"], [data-testid="open-saturation"], [data-testid="new-spec"], .filter-box, .filter-facets',
      )
      const boxes = await Promise.all((await words.all()).map(box))
      for (const [i, b] of boxes.entries()) {
        expect(b.x + b.width).toBeLessThanOrEqual(size.width)
        for (const other of boxes.slice(i + 1)) expect(overlaps(b, other)).toBe(false)
      }
      await page.screenshot({ path: join(ARTIFACTS, `layout-${size.width}-${size.scheme}.png`) })
    })

    test('Tab crosses the board a cell at a time: gordon’s header is a handful of presses away', async ({
      page,
    }) => {
      // Unassigned's Idea cell opened: sixteen cards and more on show.
      const unassigned = cell(page, 'idea', 'unassigned')
      await unassigned.getByTestId('cell-more').click()
      await expect(unassigned.getByTestId('card')).toHaveCount(16)
      const first = card(unassigned, 'Spec 50:')
      await first.focus()
      const presses = await tabsUntilInside(page, page.getByTestId('lane-gordon'), 60)
      // Per cell: one card and its "N more"; per lane: its name. Not one press per card.
      expect(presses).toBeLessThanOrEqual(13)

      // Back into a cell, Tab lands on the card last focused there.
      await first.focus()
      await page.keyboard.press('ArrowDown')
      expect(await focusedCardTitle(page)).toMatch(/^Spec 46:/)
      await page.keyboard.press('Tab')
      expect(await focusedCardTitle(page)).toBeNull()
      await page.keyboard.press('Shift+Tab')
      expect(await focusedCardTitle(page)).toMatch(/^Spec 46:/)
      // The arrows go on from there.
      await page.keyboard.press('ArrowUp')
      expect(await focusedCardTitle(page)).toMatch(/^Spec 50:/)
    })

    test('a drop is announced in the column and lane the card landed in', async ({ page }) => {
      await drag(page, card(page, 'Spec 50:'), cell(page, 'marketing', 'bob'))
      await expect(card(cell(page, 'marketing', 'bob'), 'Spec 50:')).toBeVisible()
      await expect(page.locator('[id^="DndLiveRegion"]')).toHaveText(
        'Dropped “Spec 50: make thing 50 better” in Marketing · bob.',
      )
    })

    test('toasts lie over no card and clear of the drawer; tags wrap whole beside it', async ({
      page,
    }) => {
      // Four moves by keyboard, four toasts asked for: three show.
      for (let n = 0; n < 4; n++) {
        await cell(page, 'idea', 'unassigned').getByTestId('card').first().focus()
        await page.keyboard.press('Shift+ArrowDown')
        await expect(page.getByTestId('toast')).toHaveCount(Math.min(n + 1, 3))
      }
      await cell(page, 'idea', 'unassigned').getByTestId('card').first().click()
      const drawer = page.getByTestId('spec-drawer')
      await expect(drawer).toBeVisible()
      const drawerBox = await box(drawer)
      const cards = await visibleCards(page)
      expect(cards.length).toBeGreaterThanOrEqual(3)
      await expect(page.getByTestId('toast')).toHaveCount(3)
      for (const toast of await page.getByTestId('toast').all()) {
        const t = await box(toast)
        expect(t.x + t.width).toBeLessThanOrEqual(drawerBox.x)
        expect(t.y + t.height).toBeLessThanOrEqual(size.height)
        for (const c of cards) expect(overlaps(t, c)).toBe(false)
      }

      // Each card beside the drawer shows every chip it has, whole, inside the card.
      const metas = await page.evaluate(() =>
        [...document.querySelectorAll('.board [data-testid="card"]')].map((element) => {
          const c = element.getBoundingClientRect()
          const parts = [...element.querySelectorAll('.card-meta > :not(.card-spacer)')]
          const cut = parts.filter((part) => {
            const r = part.getBoundingClientRect()
            return r.right > c.right - 4 || part.scrollWidth > part.clientWidth
          })
          const rows = new Set(parts.map((part) => Math.round(part.getBoundingClientRect().top)))
          return { cut: cut.map((part) => part.textContent), rows: rows.size }
        }),
      )
      expect(metas.flatMap((m) => m.cut)).toEqual([])
      // The squeeze is real: what a card shows under its title needed a second line.
      expect(Math.max(...metas.map((m) => m.rows))).toBeGreaterThan(1)
      await page.screenshot({
        path: join(ARTIFACTS, `layout-drawer-${size.width}-${size.scheme}.png`),
      })
    })
  })
}
