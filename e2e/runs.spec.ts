import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { addFixtureLane, FIXTURE_AGENT, makeRepo } from './board'
import { ARTIFACTS, expect, test } from './factory'

/** A git repository for the agent to work in, with one commit on `main`. */
test('dispatch a spec: the transcript streams in with stages, it ships, the card lands in Marketing; request changes runs again in the same worktree', async ({
  page,
  factory,
}) => {
  const { repo } = makeRepo(factory.dir)
  factory.cli(
    'agent',
    'add',
    'bob',
    '--runner',
    'command',
    '--workspace',
    repo,
    '--command',
    `"${process.execPath}" "${FIXTURE_AGENT}" ship 900`,
  )
  factory.cli('spec', 'add', '--title', 'Hello page', '--body', 'Say hello to visitors.')
  await page.goto(factory.url)

  await page.getByTestId('card').filter({ hasText: 'Hello page' }).click()
  await page.getByTestId('dispatch').click()
  const view = page.getByTestId('run-view')
  await expect(view).toBeVisible()

  // Live: entries stream in while a stage is current.
  await expect(view.getByTestId('stage-step').first()).toBeVisible()
  await expect(view.locator('.stage-current')).toBeVisible()
  await expect(
    view.getByTestId('transcript-entry').filter({ hasText: 'step 1 of 3' }).first(),
  ).toBeVisible()
  await page.screenshot({ path: join(ARTIFACTS, 'run-view-live.png') })

  await expect(view.getByTestId('run-state')).toHaveText(/shipped/, { timeout: 20_000 })
  await expect(view.getByTestId('stage-step')).toHaveText([
    '✓scout',
    '✓scaffold',
    '✓build',
    '✓verify',
    '✓review',
  ])
  await expect(view.getByTestId('run-artifact')).toContainText('hello 1.0.0')
  await expect(
    view.getByTestId('transcript-entry').filter({ hasText: 'shipped hello 1.0.0' }),
  ).toBeVisible()
  await page.screenshot({ path: join(ARTIFACTS, 'run-view.png') })

  await page.keyboard.press('3')
  await expect(view.getByTestId('diff-file')).toContainText('hello.txt')
  await expect(view.getByTestId('diff-patch')).toContainText('+made by r_1')
  await page.screenshot({ path: join(ARTIFACTS, 'diff-view.png') })
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.screenshot({ path: join(ARTIFACTS, 'diff-view-dark.png'), animations: 'disabled' })
  await page.keyboard.press('1')
  await page.screenshot({ path: join(ARTIFACTS, 'run-view-dark.png'), animations: 'disabled' })
  await page.emulateMedia({ colorScheme: 'light' })

  await view.getByTestId('request-changes').click()
  const requestDialog = page.getByTestId('request-changes-dialog')
  await expect(requestDialog).toContainText('Request changes to “Hello page”')
  await page.getByLabel('Comments').fill('Also greet returning visitors by name.')
  // Esc with a comment typed asks; Keep editing keeps it.
  await page.keyboard.press('Escape')
  const ask = page.getByTestId('discard-changes')
  await expect(ask.getByRole('button', { name: 'Keep editing' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(ask).toBeHidden()
  await expect(page.getByLabel('Comments')).toHaveValue('Also greet returning visitors by name.')
  await page.getByRole('button', { name: 'Send to agent' }).click()
  await expect(view.getByText('follow-up of bob’s run, started')).toBeVisible()
  await expect(view.getByTestId('run-comments')).toContainText(
    'Also greet returning visitors by name.',
  )
  await expect(view.getByTestId('run-state')).toHaveText(/shipped/, { timeout: 20_000 })
  await page.keyboard.press('3')
  await expect(view.getByTestId('diff-patch')).toContainText('+made by r_2')
  await expect(view.getByTestId('diff-patch')).toContainText('+made by r_1')

  // A merge that would overwrite uncommitted work in the user's checkout is refused, and the
  // reason stays on screen until the next action.
  writeFileSync(join(repo, 'hello.txt'), 'my own notes\n')
  await view.getByTestId('merge').click()
  await expect(view.getByTestId('run-problem')).toContainText('hello.txt')
  rmSync(join(repo, 'hello.txt'))
  // Merge from the run view: the view says so and offers no second merge.
  await view.getByTestId('merge').click()
  await expect(view.getByTestId('run-problem')).toBeHidden()
  await expect(view.getByTestId('run-review')).toContainText('Merged factory/hello-page into main')
  await expect(view.getByTestId('merge')).toHaveCount(0)
  await page.screenshot({ path: join(ARTIFACTS, 'run-view-merged.png') })

  const [first, second] = ['r_1', 'r_2'].map(
    (id) => factory.cli('run', 'show', id) as { cwd: string; branch: string },
  )
  expect(second!.cwd).toBe(first!.cwd)
  expect(second!.branch).toBe('factory/hello-page')

  await page.keyboard.press('Escape')
  await expect(view).toBeHidden()
  await page.screenshot({ path: join(ARTIFACTS, 'board-after-run.png') })
  await expect(
    page.getByTestId('cell-marketing-bob').getByTestId('card').filter({ hasText: 'Hello page' }),
  ).toBeVisible()
})

test('a failed run shows its class and log tail on the card; a live run can be cancelled from its view', async ({
  page,
  factory,
}) => {
  addFixtureLane(factory, 'bob', ['fail'])
  addFixtureLane(factory, 'alice', ['hang'])
  factory.cli('spec', 'add', '--title', 'Flaky build')
  factory.cli('spec', 'add', '--title', 'Endless task')
  factory.cli('dispatch', 's_1', '--agent', 'bob')
  await page.goto(factory.url)

  const failed = page.getByTestId('cell-software-bob').getByTestId('card')
  await expect(failed.getByTestId('run-state')).toHaveText(/failed · crashed/)
  await expect(failed.getByTestId('card-tail')).toHaveText(
    'error: the build failed (tsc: 3 errors)',
  )
  await page.screenshot({ path: join(ARTIFACTS, 'board-failed-run.png') })

  await page.getByTestId('card').filter({ hasText: 'Endless task' }).click()
  await page.getByLabel('Agent to run it').selectOption('alice')
  await page.getByTestId('dispatch').click()
  const view = page.getByTestId('run-view')
  await expect(view.getByTestId('run-state')).toHaveText(/running/)
  await expect(view.getByTestId('transcript-entry').filter({ hasText: 'hanging' })).toBeVisible()
  await view.getByTestId('run-cancel').click()
  await expect(view.getByTestId('run-state')).toHaveText(/failed · cancelled/)
  await expect(view.getByTestId('run-failure')).toContainText('cancelled')
  await page.screenshot({ path: join(ARTIFACTS, 'run-view-cancelled.png') })
  await page.keyboard.press('Escape')
  // Focus goes back to the drawer the run was started from.
  await expect(page.getByTestId('spec-drawer')).toBeFocused()
})

test('a run whose agent CLI cannot be found is refused, saying where it looked and how to fix it', async ({
  page,
  factory,
}) => {
  factory.cli('agent', 'add', 'gordon', '--runner', 'codex', '--bin', '/nowhere/codex')
  factory.cli('spec', 'add', '--title', 'Needs codex')
  await page.goto(factory.url)
  await page.getByTestId('card').filter({ hasText: 'Needs codex' }).click()
  await page.getByTestId('dispatch').click()
  // Where it looked, in the app's words; the fix is a button to the lane's settings, not a command.
  await expect(page.getByTestId('dispatch-error')).toHaveText(
    'the CLI path /nowhere/codex in the lane’s settings does not exist',
  )
  await expect(page.getByTestId('run-view')).toBeHidden()
  await expect(page.getByTestId('run-item')).toHaveCount(0)
  await page.screenshot({ path: join(ARTIFACTS, 'drawer-cli-missing.png') })
  await page.getByTestId('dispatch-fix').click()
  await expect(page.getByRole('dialog')).toContainText('gordon')
})
