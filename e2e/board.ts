// What the board tests share: finding cells, cards and toasts, dragging a card with the mouse as a
// person does, and the fixture agent as a command line.
import type { Locator, Page } from '@playwright/test'
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Factory } from './factory'

export const FIXTURE_AGENT = fileURLToPath(
  new URL('../electron/core/software/runs/fixtures/agent.mjs', import.meta.url),
)

/** `factory agent add NAME --command "…"` for the fixture agent playing `scenario`. */
export const fixture = (...scenario: string[]): string =>
  [`"${process.execPath}"`, `"${FIXTURE_AGENT}"`, ...scenario].join(' ')

/** A lane whose runs are the fixture agent playing `scenario`, with any other `agent add` flags. */
export function addFixtureLane(
  factory: Pick<Factory, 'cli'>,
  name: string,
  scenario: string[],
  ...flags: string[]
): void {
  factory.cli(
    'agent',
    'add',
    name,
    '--runner',
    'command',
    '--command',
    fixture(...scenario),
    ...flags,
  )
}

export const cell = (page: Page, stage: string, lane: string): Locator =>
  page.getByTestId(`cell-${stage}-${lane}`)
export const card = (scope: Page | Locator, title: string): Locator =>
  scope.getByTestId('card').filter({ hasText: title })
export const toast = (page: Page, text: string): Locator =>
  page.getByTestId('toast').filter({ hasText: text })

/** Press, move past dnd-kit's 5 px threshold, travel to the target, let go. */
export async function drag(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = await from.boundingBox()
  const b = await to.boundingBox()
  if (!a || !b) throw new Error('cannot see what to drag')
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2)
  await page.mouse.down()
  await page.mouse.move(a.x + a.width / 2 + 12, a.y + a.height / 2 + 12, { steps: 4 })
  await page.mouse.move(b.x + b.width / 2, b.y + Math.min(b.height / 2, 40), { steps: 12 })
  await page.mouse.up()
}

/** Specs added through the page's own API (one request each, as the app sends them): quicker than a CLI process per spec. */
export async function addSpecsThroughPage(page: Page, specs: readonly object[]): Promise<void> {
  await page.evaluate(async (all) => {
    for (const spec of all) {
      const response = await fetch('/api/spec/add', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(spec),
      })
      if (!response.ok) throw new Error(`spec/add answered ${response.status}`)
    }
  }, specs)
}

/** A git repository in `dir` for the agents to work in, with one commit on `main`. */
export function makeRepo(dir: string): { repo: string; git: (...args: string[]) => string } {
  const repo = join(dir, 'product')
  mkdirSync(repo)
  const git = (...args: string[]) =>
    execFileSync('git', [
      '-C',
      repo,
      '-c',
      'user.name=Me',
      '-c',
      'user.email=me@localhost',
      ...args,
    ])
      .toString()
      .trim()
  git('init', '-q', '-b', 'main')
  writeFileSync(join(repo, 'README.md'), '# Product\n')
  git('add', 'README.md')
  git('commit', '-q', '-m', 'init')
  return { repo, git }
}
