// Shipping, as a founder sees it: a shipped card says what it shipped and whether its branch is in
// main; Merge is offered (from the drawer too) only where there is something to merge; a lane
// trusted to merge when shipped merges by itself. At 1440×900 light and 1024×700 dark.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { addFixtureLane, card, fixture, makeRepo } from './board'
import { ARTIFACTS, expect, test, type Factory } from './factory'

const SIZES = [
  { width: 1440, height: 900, scheme: 'light' as const },
  { width: 1024, height: 700, scheme: 'dark' as const },
]

/** Adds a spec and runs it on `agent` to its end, as `factory dispatch --wait` does. */
function ship(factory: Factory, title: string, agent = 'bob'): void {
  const spec = factory.cli('spec', 'add', '--title', title) as { id: string }
  factory.cli('dispatch', spec.id, '--agent', agent, '--wait')
}

for (const size of SIZES) {
  const at = `${size.width}x${size.height}-${size.scheme}`
  const open = async (page: Page, factory: Factory) => {
    await page.setViewportSize({ width: size.width, height: size.height })
    await page.emulateMedia({ colorScheme: size.scheme })
    await page.goto(factory.url)
  }

  test(`at ${size.width}×${size.height} ${size.scheme}: a shipped card shows its artifact and "Not merged · 1 commit"; merged from the drawer it says "Merged into main" and Merge is gone`, async ({
    page,
    factory,
  }) => {
    const { repo, git } = makeRepo(factory.dir)
    addFixtureLane(factory, 'bob', ['ship'], '--workspace', repo)
    ship(factory, 'Hello page')
    await open(page, factory)

    const shipped = card(page.getByTestId('cell-marketing-bob'), 'Hello page')
    await expect(shipped.getByTestId('card-artifact')).toHaveText('hello 1.0.0')
    await expect(shipped.getByTestId('card-artifact')).toHaveAttribute(
      'href',
      'https://example.com/hello',
    )
    await expect(shipped.getByTestId('card-branch')).toHaveText('Not merged · 1 commit')
    await page.screenshot({ path: join(ARTIFACTS, `shipping-card-${at}.png`) })

    await shipped.click()
    const drawer = page.getByTestId('spec-drawer')
    const merge = drawer.getByTestId('run-item-merge')
    await expect(merge).toBeVisible()
    await page.screenshot({ path: join(ARTIFACTS, `shipping-drawer-${at}.png`) })
    await merge.click()
    // The card says so at once, and nothing is offered a second time.
    await expect(shipped.getByTestId('card-branch')).toHaveText('Merged into main')
    await expect(drawer.getByTestId('run-item-merge')).toHaveCount(0)
    await expect(drawer.getByTestId('run-item-branch')).toHaveText('Merged into main')
    expect(git('show', 'main:hello.txt')).toBe('made by r_1')
    await page.screenshot({ path: join(ARTIFACTS, `shipping-merged-${at}.png`) })

    await drawer.getByTestId('run-item').click()
    const view = page.getByTestId('run-view')
    await expect(view.getByTestId('run-review')).toHaveText(
      'Merged factory/hello-page into main (' + git('rev-parse', '--short=8', 'main') + ')',
    )
    await page.screenshot({ path: join(ARTIFACTS, `shipping-run-view-merged-${at}.png`) })
    await expect(view.getByTestId('merge')).toHaveCount(0)
    await expect(view.getByTestId('discard')).toHaveCount(0)
    await page.keyboard.press('Escape')
    await page.keyboard.press('Escape')
    await expect(drawer).toBeHidden()
    await expect(shipped.getByTestId('card-branch')).toBeVisible()
    await page.screenshot({ path: join(ARTIFACTS, `shipping-merged-card-${at}.png`) })
  })

  test(`at ${size.width}×${size.height} ${size.scheme}: a lane set to merge when shipped merges its shipped run by itself`, async ({
    page,
    factory,
  }) => {
    const { repo, git } = makeRepo(factory.dir)
    addFixtureLane(factory, 'alice', ['ship'], '--workspace', repo)
    await open(page, factory)
    // Trusted in the lane editor.
    await page.getByTestId('lane-alice').getByRole('button', { name: 'alice' }).click()
    const dialog = page.getByTestId('agent-dialog')
    const option = dialog.getByRole('checkbox', { name: /Merge when shipped/ })
    await expect(option).not.toBeChecked()
    await option.check()
    await option.scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(ARTIFACTS, `shipping-lane-editor-${at}.png`) })
    await dialog.getByTestId('agent-save').click()
    await expect(dialog).toBeHidden()
    expect(factory.cli('agent', 'list')).toEqual([
      expect.objectContaining({ name: 'alice', mergeWhenShipped: true }),
    ])

    ship(factory, 'Pricing page', 'alice')
    const shipped = card(page.getByTestId('cell-marketing-alice'), 'Pricing page')
    await expect(shipped.getByTestId('card-branch')).toHaveText('Merged into main')
    expect(git('log', '-1', '--format=%s', 'main')).toBe('Merge factory/pricing-page (spec s_1)')
    await shipped.click()
    await expect(page.getByTestId('spec-drawer').getByTestId('run-item')).toHaveCount(1)
    await expect(page.getByTestId('spec-drawer').getByTestId('run-item-merge')).toHaveCount(0)
    await page.keyboard.press('Escape')
    await expect(shipped.getByTestId('card-branch')).toBeVisible()
    await page.screenshot({ path: join(ARTIFACTS, `shipping-auto-merged-${at}.png`) })

    // A conflict is refused as a manual merge is: shipped, unmerged, the reason on the card.
    factory.cli('agent', 'set', 'alice', '--command', fixture('ship', '300'))
    const next = factory.cli('spec', 'add', '--title', 'Signup page') as { id: string }
    factory.cli('dispatch', next.id, '--agent', 'alice')
    writeFileSync(join(repo, 'hello.txt'), 'my own hello\n')
    git('commit', '-q', '-am', 'my own hello')
    const refused = card(page.getByTestId('cell-marketing-alice'), 'Signup page')
    await expect(refused.getByTestId('card-branch')).toHaveText(
      'Not merged · conflicts in hello.txt',
      { timeout: 20_000 },
    )
    expect(git('log', '-1', '--format=%s', 'main')).toBe('my own hello')
    await refused.click()
    await expect(page.getByTestId('spec-drawer').getByTestId('run-item-merge')).toBeVisible()
    await page.keyboard.press('Escape')
    await page.screenshot({ path: join(ARTIFACTS, `shipping-refused-${at}.png`) })
  })

  test(`at ${size.width}×${size.height} ${size.scheme}: a run that committed nothing says "Nothing to merge" and offers no Merge`, async ({
    page,
    factory,
  }) => {
    const { repo } = makeRepo(factory.dir)
    // An agent that ships notes without touching the repository.
    const agent = join(factory.dir, 'notes.mjs')
    const artifact = JSON.stringify({ name: 'notes', version: '0.1.0' })
    writeFileSync(
      agent,
      `import { writeFileSync } from 'node:fs'\nwriteFileSync(process.argv[2] + '/artifact.json', ${JSON.stringify(artifact)})\n`,
    )
    const command = `"${process.execPath}" "${agent}" {outputDir}`
    factory.cli(
      'agent',
      'add',
      'bob',
      '--runner',
      'command',
      '--workspace',
      repo,
      '--command',
      command,
    )
    ship(factory, 'Release notes')
    await open(page, factory)

    const shipped = card(page.getByTestId('cell-marketing-bob'), 'Release notes')
    await expect(shipped.getByTestId('card-artifact')).toHaveText('notes 0.1.0')
    await expect(shipped.getByTestId('card-branch')).toHaveText('Nothing to merge')
    await shipped.click()
    const drawer = page.getByTestId('spec-drawer')
    await expect(drawer.getByTestId('run-item')).toHaveCount(1)
    await expect(drawer.getByTestId('run-item-merge')).toHaveCount(0)
    await drawer.getByTestId('run-item').click()
    const view = page.getByTestId('run-view')
    await expect(view.getByTestId('run-branch')).toHaveText('Nothing to merge')
    await expect(view.getByTestId('merge')).toHaveCount(0)
    await expect(view.getByTestId('discard')).toHaveCount(0)
    await page.screenshot({ path: join(ARTIFACTS, `shipping-nothing-${at}.png`) })
  })
}
