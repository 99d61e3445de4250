// Finding things on a full board: with three lanes and fifty specs, typing in the filter hides
// what does not match and says how many show, a reload keeps the filter, a facet narrows it, and
// nothing matching says so; Ctrl+K finds a spec, a lane or an action from the keyboard alone, and
// pauses or resumes a lane as its lane editor does.
import Database from 'better-sqlite3'
import type { Page } from '@playwright/test'
import { join } from 'node:path'
import { ARTIFACTS, expect, test, type Factory } from './factory'
import { card, cell, toast, addFixtureLane, addSpecsThroughPage } from './board'

const TITLES = [
  'Billing API: usage-based invoices',
  'Billing page redesign',
  'Refund flow for billing disputes',
  'Status page for the public API',
  'Onboarding checklist in the app',
  'Dark mode for the settings screen',
  'Export the board as CSV',
  'Import TODOs from Roam',
  'Weekly report email',
  'Rate limits per API key',
  'Webhook retries with backoff',
  'Search across spec bodies',
  'Ship 🚀 launch checklist',
  'תמיכה בעברית בממשק',
  'Crème brûlée recipe site',
  'Changelog page generator',
  'Slack notifications for shipped runs',
  'Pricing page A/B test',
  'Landing page copy refresh',
  'Blog post: how we run three agents',
  'Self-serve account deletion',
  'SSO with GitHub',
  'Two-factor sign-in',
  'Audit log viewer',
  'CLI: factory spec grep',
  'Queue drainer for the VM lane',
  'Usage meter on the lane header',
  'Retry a failed run from the drawer',
  'Tag editor in the drawer',
  'Keyboard-only board tour',
  'Mobile layout for the review pane',
  'Screenshot diff in review',
  'Post to Bluesky on ship',
  'X thread from a changelog',
  'Hacker News signal ranking',
  'GitHub issues as signals',
  'Spec template: bug report',
  'Spec template: landing page',
  'Cost per shipped artifact chart',
  'Idle quota alert',
  'Pause a lane until a time',
  'Nightly backup of the ledger',
  'Restore from a backup file',
  'Localise dates and numbers',
  'Accessibility pass on dialogs',
  'Empty states with next steps',
  'Drag handles for touch screens',
  'Offline banner when serve stops',
  'Docs: the queue contract',
  'Docs: the run contract',
]
const LANES = [null, 'bob', 'alice', 'gordon'] as const
const SOURCES = ['manual', 'hn', 'github', 'roam']
const TAGS = ['growth', 'api', 'ops', 'ui', 'infra', 'docs']

const SPECS = TITLES.map((title, n) => {
  const agent = LANES[n % 4] ?? null
  return {
    title,
    agent,
    stage: agent === null ? 'idea' : n % 3 === 0 ? 'marketing' : 'software',
    source: SOURCES[n % SOURCES.length]!,
    tags: [TAGS[n % TAGS.length]!, ...(n % 5 === 0 ? [TAGS[(n + 2) % TAGS.length]!] : [])],
    priority: n % 7 === 0 ? 2 : 0,
  }
})
const tagged = (tag: string) => SPECS.filter((spec) => spec.tags.includes(tag)).length

/** Three lanes by the CLI; fifty specs through the page's own API; a few statuses moved on. */
async function seed(factory: Factory, page: Page): Promise<void> {
  factory.cli('settings', '--auto-dispatch', 'off')
  for (const name of ['bob', 'alice', 'gordon']) addFixtureLane(factory, name, ['done'])
  await page.goto(factory.url)
  await addSpecsThroughPage(page, SPECS)
  // What runs would have left behind, written where the board reads it.
  const db = new Database(factory.db)
  const status = db.prepare('UPDATE specs SET status = ? WHERE id = ?')
  for (const [id, to] of [
    ['s_2', 'review'],
    ['s_3', 'shipped'],
    ['s_6', 'failed'],
    ['s_7', 'review'],
    ['s_11', 'shipped'],
    ['s_15', 'done'],
  ] as const)
    status.run(to, id)
  db.close()
  await page.reload()
  await expect(page.locator('.header-counts')).toHaveText('50 specs · 3 agents')
}

const filterBox = (page: Page) => page.getByTestId('filter-input')
const shownCount = (page: Page) => page.getByTestId('filter-count')

async function shoot(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme })
    await page.screenshot({
      path: join(ARTIFACTS, `${name}-${scheme}.png`),
      animations: 'disabled',
    })
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

for (const size of [
  { width: 1440, height: 900 },
  { width: 1024, height: 700 },
]) {
  test(`at ${size.width}×${size.height}: type to filter the board, keep it over a reload, narrow by a tag, see when nothing matches`, async ({
    page,
    factory,
  }) => {
    await page.setViewportSize(size)
    await seed(factory, page)

    await page.keyboard.press('/')
    await expect(filterBox(page)).toBeFocused()
    await page.keyboard.type('billing')
    await expect(shownCount(page)).toHaveText('3 of 50 shown · Clear filters')
    await expect(card(page, 'Billing API: usage-based invoices')).toBeVisible()
    await expect(card(page, 'Billing page redesign')).toBeVisible()
    await expect(card(page, 'Refund flow for billing disputes')).toBeVisible()
    await expect(card(page, 'Status page for the public API')).toHaveCount(0)
    await expect(page.getByTestId('card')).toHaveCount(3)
    await shoot(page, `search-typed-${size.width}`)

    // Esc leaves the box and keeps what was typed.
    await page.keyboard.press('Escape')
    await expect(filterBox(page)).not.toBeFocused()
    await expect(filterBox(page)).toHaveValue('billing')

    await expect(page).toHaveURL(/[?&]q=billing(&|$)/)
    await page.reload()
    await expect(filterBox(page)).toHaveValue('billing')
    await expect(shownCount(page)).toHaveText('3 of 50 shown · Clear filters')
    await expect(page.getByTestId('card')).toHaveCount(3)

    // A tag narrows further; the menu says how many each would show.
    await filterBox(page).fill('')
    await page.getByTestId('facet-tag').click()
    const menu = page.getByTestId('facet-menu-tag')
    await expect(menu.getByRole('checkbox', { name: /growth/ })).toBeVisible()
    await expect(menu.locator('label', { hasText: 'docs' })).toContainText(`${tagged('docs')}`)
    await shoot(page, `search-facet-${size.width}`)
    await menu.getByRole('checkbox', { name: /docs/ }).check()
    await page.keyboard.press('Escape')
    await expect(menu).toHaveCount(0)
    await expect(page.getByTestId('facet-tag')).toContainText('docs')
    await expect(shownCount(page)).toHaveText(`${tagged('docs')} of 50 shown · Clear filters`)
    await expect(page).toHaveURL(/[?&]tag=docs/)
    // Words and facets together: docs-tagged specs on the lanes, not Unassigned.
    await page.getByTestId('facet-lane').click()
    await page
      .getByTestId('facet-menu-lane')
      .getByRole('checkbox', { name: /Unassigned/ })
      .check()
    await page.keyboard.press('Escape')
    await expect(page.getByTestId('lane-bob')).toHaveCount(0)
    await expect(page.getByTestId('lane-unassigned')).toBeVisible()
    await expect(shownCount(page)).toContainText('of 50 shown')

    // Nothing matches: it says so, with the way back.
    await filterBox(page).fill('zebra crossing')
    await expect(page.getByTestId('no-matches')).toContainText('No specs match “zebra crossing”')
    await expect(shownCount(page)).toHaveText('0 of 50 shown · Clear filters')
    await shoot(page, `search-none-${size.width}`)
    await page.getByTestId('no-matches').getByRole('button', { name: 'Clear filters' }).click()
    await expect(filterBox(page)).toHaveValue('')
    await expect(page.locator('.header-counts')).toHaveText('50 specs · 3 agents')
    await expect(page.getByTestId('lane-bob')).toBeVisible()
    await expect(page).not.toHaveURL(/[?&](q|tag|lane)=/)
  })

  test(`at ${size.width}×${size.height}: Ctrl+K finds a spec and opens it, goes to a lane, runs an action`, async ({
    page,
    factory,
  }) => {
    await page.setViewportSize(size)
    await seed(factory, page)

    await page.keyboard.press('Control+k')
    const palette = page.getByRole('dialog', { name: 'Command palette' })
    await expect(palette).toBeVisible()
    const box = palette.getByRole('combobox')
    await expect(box).toBeFocused()
    // Before typing: the actions, the lanes, the latest specs.
    await expect(palette.getByRole('option', { name: /New spec/ })).toBeVisible()
    await shoot(page, `palette-empty-${size.width}`)

    await page.keyboard.type('bilpag')
    const options = palette.getByRole('option')
    await expect(options.first()).toContainText('Billing page redesign')
    await expect(options.first()).toHaveAttribute('aria-selected', 'true')
    await expect(box).toHaveAttribute(
      'aria-activedescendant',
      (await options.first().getAttribute('id'))!,
    )
    await shoot(page, `palette-typed-${size.width}`)

    // The arrows move the active option; Enter opens the one chosen.
    await box.fill('billing')
    await expect(options.first()).toContainText('Billing')
    const second = (await options.nth(1).textContent())!
    await page.keyboard.press('ArrowDown')
    await expect(options.nth(1)).toHaveAttribute('aria-selected', 'true')
    await page.keyboard.press('ArrowUp')
    await page.keyboard.press('ArrowUp') // wraps to the last
    await expect(options.last()).toHaveAttribute('aria-selected', 'true')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await expect(palette).toHaveCount(0)
    const drawer = page.getByTestId('spec-drawer')
    await expect(drawer).toBeVisible()
    expect(second).toContain((await drawer.getAttribute('aria-label'))!.replace('Spec: ', ''))

    // Esc in the palette closes the palette only, never the drawer under it.
    await page.keyboard.press('Control+k')
    await expect(palette).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(palette).toHaveCount(0)
    await expect(drawer).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(drawer).toHaveCount(0)

    // A lane: the board shows it and focus lands on its first card.
    await page.keyboard.press('Control+k')
    await page.keyboard.type('gordon')
    await expect(palette.getByRole('option').first()).toContainText('gordon')
    await page.keyboard.press('Enter')
    await expect(palette).toHaveCount(0)
    await expect(cell(page, 'software', 'gordon').getByTestId('card').first()).toBeFocused()
    await expect(page.getByTestId('lane-gordon')).toBeInViewport()

    // An action: the saturation view.
    await page.keyboard.press('Control+k')
    await page.keyboard.type('saturation')
    await expect(palette.getByRole('option').first()).toContainText('Saturation view')
    await page.keyboard.press('Enter')
    await expect(page.getByTestId('saturation-view')).toBeVisible()
  })
}

test('the palette filters by a tag, and the "?" sheet lists the new keys', async ({
  page,
  factory,
}) => {
  await seed(factory, page)
  await page.getByTestId('open-palette').click()
  await page.keyboard.type('tag ops')
  const option = page.getByRole('option', { name: /Tag: ops/ })
  await expect(option).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('facet-tag')).toContainText('ops')
  await expect(shownCount(page)).toHaveText(`${tagged('ops')} of 50 shown · Clear filters`)
  await expect(card(page, 'Refund flow for billing disputes')).toBeVisible()
  await expect(card(page, 'Export the board as CSV')).toHaveCount(0)
  await page.keyboard.press('?')
  const help = page.getByTestId('keyboard-help')
  await expect(help).toContainText('Filter the cards')
  await expect(help).toContainText('Command palette')
})

test('Ctrl+K pauses bob and resumes him, as his lane editor does, and leaves the others alone', async ({
  page,
  factory,
}) => {
  factory.cli('settings', '--auto-dispatch', 'off')
  for (const name of ['bob', 'alice']) addFixtureLane(factory, name, ['done'])
  await page.setViewportSize({ width: 1440, height: 900 })
  await page.goto(factory.url)
  const hold = (lane: string) => page.getByTestId(`lane-${lane}`).getByTestId('lane-hold')
  const palette = page.getByRole('dialog', { name: 'Command palette' })
  await expect(page.getByTestId('lane-bob').getByTestId('lane-capacity')).toBeVisible()
  await expect(hold('bob')).toHaveCount(0)

  await page.keyboard.press('Control+k')
  await page.keyboard.type('pause bob')
  const first = palette.getByRole('option').first()
  await expect(first).toContainText('Pause bob')
  await expect(first).toContainText('Until you resume it')
  await shoot(page, 'palette-pause')
  await page.keyboard.press('Enter')
  await expect(palette).toHaveCount(0)
  await expect(hold('bob')).toContainText('Paused')
  await expect(toast(page, 'bob paused until you resume it')).toBeVisible()
  await expect(hold('alice')).toHaveCount(0)

  // The lane editor says the same, and the palette now offers the other way only.
  await page.getByTestId('lane-bob').getByRole('button', { name: 'bob' }).click()
  await expect(page.getByTestId('agent-hold')).toContainText('Paused until resumed')
  await page.keyboard.press('Escape')
  await page.keyboard.press('Control+k')
  await page.keyboard.type('bob')
  await expect(palette.getByRole('option', { name: /Pause bob/ })).toHaveCount(0)
  await palette.getByRole('combobox').fill('resume bob')
  await expect(palette.getByRole('option').first()).toContainText('Resume bob')
  await expect(palette.getByRole('option').first()).toContainText('Paused until resumed')
  await page.keyboard.press('Enter')
  await expect(hold('bob')).toHaveCount(0)
  await expect(toast(page, 'bob resumed')).toBeVisible()
})

test('a letter typed on a focused select picks its option there, and no shortcut fires', async ({
  page,
  factory,
}) => {
  factory.cli('settings', '--auto-dispatch', 'off', '--max-runs', '4')
  addFixtureLane(factory, 'bob', ['done'])
  await page.goto(factory.url)
  const cap = page.getByTestId('allocator-controls').locator('select')
  await expect(cap).toHaveValue('4')
  await cap.focus()
  // "n" picks "no limit", as a select does; it opens no New spec dialog.
  await page.keyboard.press('n')
  await expect(cap).toHaveValue('')
  await page.keyboard.press('s')
  await page.keyboard.press('?')
  await page.keyboard.press('/')
  await expect(cap).toBeFocused()
  await expect(page.getByTestId('new-spec-dialog')).toHaveCount(0)
  await expect(page.getByTestId('saturation-view')).toHaveCount(0)
  await expect(page.getByTestId('keyboard-help')).toHaveCount(0)
  await expect.poll(() => factory.cli('settings')).toMatchObject({ maxConcurrentRuns: null })
  // Off the select, the same letter is the board's again.
  await page.locator('.board').click({ position: { x: 5, y: 5 } })
  await page.keyboard.press('n')
  await expect(page.getByTestId('new-spec-dialog')).toBeVisible()
})
