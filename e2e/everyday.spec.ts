// The everyday actions on a board of fifteen specs and three lanes: a spec added with tags, a
// priority and a dependency from the dialog; a dependency set and removed in the drawer (and a
// loop refused in titles); the drawer's × with typed edits asks and keeps them; a lane removed,
// its queued specs back in Unassigned; "2M" typed as a quota limit and saved.
import Database from 'better-sqlite3'
import type { Page } from '@playwright/test'
import { join } from 'node:path'
import { ARTIFACTS, expect, test, type Factory } from './factory'
import { card, cell, fixture, toast, addFixtureLane, addSpecsThroughPage } from './board'

const SPECS = [
  { title: 'Billing API: usage-based invoices', tags: ['api', 'billing'], stage: 'software' },
  { title: 'Billing page redesign', tags: ['ui', 'billing'] },
  { title: 'Status page for the public API', tags: ['api', 'ops'] },
  { title: 'Onboarding checklist in the app', tags: ['ui', 'growth'] },
  { title: 'Export the board as CSV', tags: ['ui'] },
  { title: 'Weekly report email', tags: ['growth'] },
  { title: 'Rate limits per API key', tags: ['api'] },
  { title: 'Webhook retries with backoff', tags: ['api', 'infra'] },
  { title: 'Search across spec bodies', tags: ['ui'] },
  { title: 'Changelog page generator', tags: ['docs'] },
  { title: 'Pricing page A/B test', tags: ['growth'] },
  { title: 'Audit log viewer', tags: ['ops'] },
  { title: 'Queue drainer for the VM lane', tags: ['infra'], stage: 'software' },
  { title: 'Nightly backup of the ledger', tags: ['ops'], stage: 'software' },
  { title: 'Docs: the run contract', tags: ['docs'], stage: 'software' },
]

/** Three lanes; fifteen specs through the page's own API; three queued on bob, two past runs. */
async function seed(factory: Factory, page: Page): Promise<void> {
  factory.cli('settings', '--auto-dispatch', 'off')
  for (const name of ['bob', 'alice', 'gordon']) addFixtureLane(factory, name, ['done'])
  await page.goto(factory.url)
  await addSpecsThroughPage(page, SPECS)
  for (const id of ['s_13', 's_14', 's_15']) factory.cli('spec', 'queue', id, '--agent', 'bob')
  // What two finished runs on bob would have left behind, written where the ledger keeps them.
  const db = new Database(factory.db)
  const run = db.prepare(
    `INSERT INTO runs (id, spec_id, agent, runner, state, argv, cwd, workspace_kind, run_dir, created_at, updated_at)
     VALUES (?, ?, 'bob', 'command', 'done', '[]', '/', 'folder', '/', 1, 1)`,
  )
  run.run('r_1', 's_2')
  run.run('r_2', 's_3')
  db.close()
  await page.reload()
  await expect(page.locator('.header-counts')).toHaveText('15 specs · 3 agents')
}

async function shoot(page: Page, name: string, scheme: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `everyday-${name}-${scheme}.png`) })
}

for (const { size, scheme } of [
  { size: { width: 1440, height: 900 }, scheme: 'light' as const },
  { size: { width: 1024, height: 700 }, scheme: 'dark' as const },
]) {
  test(`at ${size.width}×${size.height} ${scheme}: add a spec with tags, a priority and a dependency; set and remove dependencies in the drawer; keep typed edits`, async ({
    page,
    factory,
  }) => {
    await page.setViewportSize(size)
    await page.emulateMedia({ colorScheme: scheme })
    await seed(factory, page)

    // The new-spec dialog: tags as chips (the board's tags offered), priority, a dependency.
    await page.getByRole('button', { name: 'New spec' }).click()
    const dialog = page.getByTestId('new-spec-dialog')
    await dialog.getByLabel('Title').fill('Invoice emails')
    const tags = dialog.getByLabel('Tags')
    await tags.fill('bil')
    await expect(dialog.getByRole('option', { name: 'billing' })).toBeVisible()
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await tags.pressSequentially('email,')
    await expect(dialog.getByTestId('tag-chip')).toHaveText(['billing×', 'email×'])
    await dialog.getByLabel('Priority').fill('5')
    await dialog.getByRole('button', { name: 'Add a dependency' }).click()
    const find = dialog.getByLabel('Find a spec to depend on')
    await expect(find).toBeFocused()
    await find.pressSequentially('billing api')
    await expect(dialog.getByRole('listbox', { name: 'Specs' }).getByRole('option')).toHaveCount(1)
    await shoot(page, 'picker', scheme)
    await page.keyboard.press('Enter')
    const chosen = dialog.getByTestId('new-spec-dependencies')
    await expect(chosen).toContainText('Billing API: usage-based invoices')
    // Esc in the picker closes only the picker: the dialog and what was typed stay.
    await dialog.getByRole('button', { name: 'Add a dependency' }).click()
    await find.pressSequentially('status')
    await page.keyboard.press('Escape')
    await expect(find).toBeHidden()
    await expect(dialog).toBeVisible()
    await expect(dialog.getByLabel('Title')).toHaveValue('Invoice emails')
    await expect(dialog.getByRole('button', { name: 'Add a dependency' })).toBeFocused()
    await shoot(page, 'new-spec', scheme)
    await dialog.getByRole('button', { name: 'Add spec' }).click()
    await expect(dialog).toBeHidden()
    expect(factory.cli('spec', 'show', 's_16')).toMatchObject({
      title: 'Invoice emails',
      tags: ['billing', 'email'],
      priority: 5,
      dependsOn: ['s_1'],
    })

    // The drawer lists what it waits for, by title and state; set one more, remove the first.
    await card(page, 'Invoice emails').click()
    const drawer = page.getByTestId('spec-drawer')
    const dependencies = drawer.getByTestId('spec-dependencies')
    await expect(dependencies.getByTestId('dependency')).toHaveText([
      /Billing API: usage-based invoices\s*not started/,
    ])
    await drawer.getByRole('button', { name: 'Add a dependency' }).click()
    await page.keyboard.type('queue drainer')
    await page.keyboard.press('Enter')
    await expect(dependencies.getByTestId('dependency')).toHaveText([
      /Billing API: usage-based invoices/,
      /Queue drainer for the VM lane\s*queued for bob/,
    ])
    await drawer
      .getByRole('button', { name: 'Remove the dependency on “Billing API: usage-based invoices”' })
      .click()
    await expect(dependencies.getByTestId('dependency')).toHaveText([/Queue drainer/])
    expect(factory.cli('spec', 'show', 's_16')).toMatchObject({ dependsOn: ['s_13'] })
    await shoot(page, 'drawer-dependencies', scheme)

    // The other side says what waits on it; a loop back is refused, in titles.
    await drawer.getByRole('button', { name: 'Queue drainer for the VM lane', exact: true }).click()
    await expect(drawer.getByTestId('spec-dependents')).toContainText('Invoice emails')
    await drawer.getByRole('button', { name: 'Add a dependency' }).click()
    await page.keyboard.type('invoice')
    await page.keyboard.press('Enter')
    await expect(drawer.getByTestId('dependency-refusal')).toHaveText(
      '“Queue drainer for the VM lane” cannot wait for “Invoice emails”: “Invoice emails” already waits for it.',
    )
    await shoot(page, 'dependency-refused', scheme)

    // Typed edits: the drawer's × and a click on another card ask, with Keep editing focused.
    await drawer
      .getByTestId('spec-dependents')
      .getByRole('button', { name: 'Invoice emails' })
      .click()
    await drawer.getByRole('button', { name: 'Edit' }).click()
    const title = drawer.getByLabel('Title')
    await title.fill('Invoice emails, with a PDF')
    const ask = page.getByTestId('discard-changes')
    await drawer.getByRole('button', { name: 'Close (Esc)' }).click()
    await expect(ask).toBeVisible()
    await expect(ask.getByRole('button', { name: 'Keep editing' })).toBeFocused()
    await shoot(page, 'discard-on-close', scheme)
    await page.keyboard.press('Enter')
    await expect(ask).toBeHidden()
    await expect(title).toHaveValue('Invoice emails, with a PDF')
    await card(page, 'Pricing page A/B test').click()
    await expect(ask).toBeVisible()
    await ask.getByRole('button', { name: 'Keep editing' }).click()
    await expect(drawer).toHaveAttribute('aria-label', 'Spec: Invoice emails')
    await expect(title).toHaveValue('Invoice emails, with a PDF')
    // Back in the field typed in, not on the card the click landed on.
    await expect(title).toBeFocused()
    // Discarding closes the drawer and hands focus back to the card, as Esc does.
    await drawer.getByRole('button', { name: 'Close (Esc)' }).click()
    await ask.getByRole('button', { name: 'Discard changes' }).click()
    await expect(drawer).toBeHidden()
    await expect(card(page, 'Invoice emails')).toBeFocused()
    expect(factory.cli('spec', 'show', 's_16')).toMatchObject({ title: 'Invoice emails' })
  })

  test(`at ${size.width}×${size.height} ${scheme}: remove a lane, refused while a run is at work; type 2M as a limit`, async ({
    page,
    factory,
  }) => {
    await page.setViewportSize(size)
    await page.emulateMedia({ colorScheme: scheme })
    await seed(factory, page)
    const ask = page.getByTestId('discard-changes')

    // Remove a lane: the confirmation says what happens in numbers; the queued specs come back.
    await page.getByTestId('lane-bob').getByRole('button', { name: 'bob' }).click()
    const editor = page.getByTestId('agent-dialog')
    await editor.getByRole('button', { name: 'Remove lane…' }).click()
    const confirm = page.getByTestId('remove-lane')
    await expect(confirm).toContainText(
      '3 queued specs go back to Unassigned, for the allocator to give to another lane.',
    )
    await expect(confirm).toContainText('2 past runs stay in the history.')
    await expect(confirm.getByRole('button', { name: 'Keep the lane' })).toBeFocused()
    await shoot(page, 'remove-lane', scheme)
    await confirm.getByRole('button', { name: 'Remove bob' }).click()
    await expect(toast(page, 'Removed lane bob · 3 specs back to Unassigned')).toBeVisible()
    await expect(page.getByTestId('lane-bob')).toHaveCount(0)
    for (const title of ['Queue drainer', 'Nightly backup', 'Docs: the run contract'])
      await expect(card(cell(page, 'software', 'unassigned'), title)).toBeVisible()
    await shoot(page, 'lane-removed', scheme)

    // A lane with a run at work is not removed while it works: the confirmation says so.
    factory.cli('agent', 'set', 'gordon', '--command', fixture('slow', '30'))
    factory.cli('dispatch', 's_12', '--agent', 'gordon')
    await expect(card(cell(page, 'software', 'gordon'), 'Audit log viewer')).toBeVisible()
    await page.getByTestId('lane-gordon').getByRole('button', { name: 'gordon' }).click()
    await editor.getByRole('button', { name: 'Remove lane…' }).click()
    await expect(confirm.getByTestId('remove-lane-refusal')).toHaveText(
      'gordon has 1 run at work (“Audit log viewer”): let it finish or cancel it first, then the lane can go.',
    )
    await expect(confirm.getByRole('button', { name: 'Remove gordon' })).toBeDisabled()
    await shoot(page, 'remove-lane-refused', scheme)
    await page.keyboard.press('Escape')
    await expect(confirm).toBeHidden()
    await page.keyboard.press('Escape')
    await expect(editor).toBeHidden()
    factory.cli('run', 'cancel', 'r_3')

    // The lane editor reads "2M" as the app writes it; "$200" on a tokens window is named there.
    await page.getByTestId('lane-alice').getByRole('button', { name: 'alice' }).click()
    await editor.getByRole('button', { name: 'Add a window' }).click()
    await editor.getByLabel('Window 1 limit').fill('$200')
    await editor.getByTestId('agent-save').click()
    await expect(editor.getByRole('alert')).toHaveText(
      'Window 1 limit: "$200" is US dollars, but this window counts tokens',
    )
    await expect(editor.getByLabel('Window 1 limit')).toHaveAttribute('aria-invalid', 'true')
    await shoot(page, 'limit-refused', scheme)
    await editor.getByLabel('Window 1 limit').fill('2M')
    // Closing with typed edits asks here too.
    await page.keyboard.press('Escape')
    await expect(ask).toBeVisible()
    await shoot(page, 'lane-editor-ask', scheme)
    await ask.getByRole('button', { name: 'Keep editing' }).click()
    await expect(editor.getByLabel('Window 1 limit')).toHaveValue('2M')
    await editor.getByTestId('agent-save').click()
    await expect(editor).toBeHidden()
    expect(factory.cli('agent', 'list')).toContainEqual(
      expect.objectContaining({
        name: 'alice',
        quotas: [expect.objectContaining({ window: '5h', unit: 'tokens', limit: 2_000_000 })],
      }),
    )
    // The meter writes the limit as it was typed.
    await expect(page.getByTestId('lane-alice').getByTestId('lane-meter')).toHaveAttribute(
      'title',
      /0 of 2M tokens/,
    )
  })
}
