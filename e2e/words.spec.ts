// A new user's walk through the drawer and the run view, reading every word: titles and names,
// never ids or engine words ("command", "exit 0", "STDOUT", a failure class); times in one format;
// a live run's duration ticking; the agent's own start line and markdown; tokens as the quota
// counted them.
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { card, addFixtureLane } from './board'
import { ARTIFACTS, expect, test, type Factory } from './factory'

const SIZES = [
  { name: '1440-light', width: 1440, height: 900, scheme: 'light' as const },
  { name: '1024-dark', width: 1024, height: 700, scheme: 'dark' as const },
]

/** Words the app must not show: ids, the runner's preset name, exit codes, stream names. */
const ENGINE_WORDS = /\b[sr]_\d+\b|\(command\)|\bexit \d|\bstdout\b|\bstderr\b|_exhausted|_limited/i

/**
 * A stand-in for `claude -p --output-format stream-json`: Claude Code's real line shapes (system
 * init, an assistant message in markdown with its usage, the final result with its cost), and a
 * pause in between so the run is live while it is read.
 */
function fakeClaude(factory: Factory, liveMs: number): string {
  const script = join(factory.dir, 'claude-like.mjs')
  writeFileSync(
    script,
    `const emit = (v) => process.stdout.write(JSON.stringify(v) + '\\n')
const model = 'claude-sonnet-4-5-20250929'
const usage = { input_tokens: 1200, output_tokens: 300, cache_read_input_tokens: 5000, cache_creation_input_tokens: 800 }
emit({ type: 'system', subtype: 'init', cwd: process.cwd(), session_id: 's-1', tools: ['Bash', 'Edit'], model, permissionMode: 'acceptEdits' })
emit({ type: 'assistant', message: { id: 'msg_1', role: 'assistant', model, usage,
  content: [{ type: 'text', text: '## Plan\\n\\n- **Build** the pricing table\\n- Check it in \`npm test\`' }] } })
await new Promise((resolve) => setTimeout(resolve, ${liveMs}))
emit({ type: 'result', subtype: 'success', is_error: false, num_turns: 1, result: 'Built **the table**.',
  total_cost_usd: 0.0421, usage })
`,
  )
  const bin = join(factory.dir, 'claude')
  writeFileSync(bin, `#!/bin/sh\nexec "${process.execPath}" "${script}" "$@"\n`)
  chmodSync(bin, 0o755)
  return bin
}

/** Minutes from now to tomorrow at 03:51 local time, for `agent pause --until`. */
function minutesToTomorrow(hour: number, minute: number): { minutes: number; at: Date } {
  const at = new Date()
  at.setDate(at.getDate() + 1)
  at.setHours(hour, minute, 0, 0)
  return { minutes: Math.ceil((at.getTime() - Date.now()) / 60_000), at }
}

async function expectNoEngineWords(scope: Locator): Promise<void> {
  const headings = scope.getByRole('heading')
  for (const heading of await headings.all()) {
    await expect(heading).not.toHaveText(ENGINE_WORDS)
  }
  await expect(scope).not.toHaveText(ENGINE_WORDS)
}

/** The text shown now, then a changed text a moment later: it ticks without any push. */
async function expectTicking(page: Page, figure: Locator): Promise<void> {
  const before = await figure.innerText()
  await page.waitForTimeout(2100)
  await expect(figure).not.toHaveText(before)
}

for (const size of SIZES) {
  test(`the drawer and run view in words at ${size.name}: names not ids, a ticking duration, a paused lane until tomorrow`, async ({
    page,
    factory,
  }) => {
    await page.setViewportSize({ width: size.width, height: size.height })
    await page.emulateMedia({ colorScheme: size.scheme })
    addFixtureLane(factory, 'bob', ['slow', '30'])
    const pause = minutesToTomorrow(3, 51)
    addFixtureLane(factory, 'gordon', ['done'])
    factory.cli('agent', 'pause', 'gordon', '--until', `${pause.minutes}m`, '--reason', 'holiday')
    factory.cli('spec', 'add', '--title', 'Pricing page', '--body', 'Three plans, yearly too.')
    factory.cli('dispatch', 's_1', '--agent', 'bob')
    await page.goto(factory.url)

    // A lane paused until tomorrow says so, not a bare time that reads as today.
    const clock = `${String(pause.at.getHours()).padStart(2, '0')}:${String(pause.at.getMinutes()).padStart(2, '0')}`
    await expect(page.getByTestId('lane-gordon').getByTestId('lane-hold')).toContainText(
      `Paused until tomorrow ${clock}`,
    )

    // The lane says what runs it in words, not the preset's name.
    await expect(page.getByTestId('lane-bob').getByTestId('lane-runner')).toHaveText('your command')

    // The card's source is a mark beside its tags, not one of them.
    const pricing = card(page, 'Pricing page')
    await expect(pricing.getByTestId('source-mark')).toHaveText('cli')
    await expect(pricing.locator('.chip', { hasText: 'cli' })).toHaveCount(0)

    await pricing.click()
    const drawer = page.getByTestId('spec-drawer')
    await expect(drawer.getByRole('heading', { name: 'Pricing page' })).toBeVisible()
    const item = drawer.getByTestId('run-item')
    await expect(item).toContainText(/bob’s run, started \d\d:\d\d/)
    // Each lane in the Run list says why it cannot start it now (bob is at work, gordon paused).
    const lanes = drawer.getByLabel('Agent to run it')
    await expect(lanes.locator('option[value=bob]')).toHaveText('bob — At its limit · 1/1 running')
    await expect(lanes.locator('option[value=gordon]')).toHaveText(
      'gordon — Paused until tomorrow 03:51 · holiday',
    )
    await expectNoEngineWords(drawer)
    // The drawer's run duration ticks while the run is live.
    await expect(item.getByTestId('run-item-meta')).toContainText(/^for \d+s/)
    await expectTicking(page, item.getByTestId('run-item-meta'))
    await page.screenshot({ path: join(ARTIFACTS, `words-drawer-${size.name}.png`) })

    await item.click()
    const view = page.getByTestId('run-view')
    await expect(view.getByRole('heading', { name: 'Pricing page' })).toBeVisible()
    await expect(view).toHaveAttribute(
      'aria-label',
      /^bob’s run, started \d\d:\d\d, for “Pricing page”$/,
    )
    await expect(view.getByTestId('run-runner')).toHaveText('your command')
    await expect(view.getByTestId('transcript-entry').first()).toBeVisible()
    await expectNoEngineWords(view)
    await expect(view.getByTestId('run-duration')).toContainText(/^for \d+s$/)
    await expectTicking(page, view.getByTestId('run-duration'))
    // The id is there for whoever asks: in Copy link's tooltip, not in the text.
    await expect(view.getByTestId('copy-link')).toHaveAttribute('title', /\(r_1\)/)
    await page.screenshot({ path: join(ARTIFACTS, `words-run-live-${size.name}.png`) })

    await view.getByTestId('run-cancel').click()
    await expect(view.getByTestId('run-state')).toHaveText(/failed · cancelled/)
    await expect(view.getByTestId('run-duration')).toContainText(/^took \d+s$/)
    await expectNoEngineWords(view)
  })
}

test('the transcript: Claude Code’s start line is its own, its markdown is rendered, its tokens are what the quota counted, its cost arrives as it reports it', async ({
  page,
  factory,
}) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  const bin = fakeClaude(factory, 6000)
  factory.cli('agent', 'add', 'alice', '--runner', 'claude', '--bin', bin)
  factory.cli('agent', 'set', 'alice', '--quota', '5h:tokens:10000')
  factory.cli('spec', 'add', '--title', 'Pricing table')
  factory.cli('dispatch', 's_1', '--agent', 'alice')
  await page.goto(`${factory.url}&run=r_1`)
  const view = page.getByTestId('run-view')
  await expect(view.getByTestId('run-runner')).toHaveText('Claude Code')

  const init = view.getByTestId('transcript-entry').filter({ hasText: 'Claude Code started' })
  await expect(init.locator('.tx-label')).toHaveText('Claude Code')
  await expect(init).toContainText(
    /Claude Code started · model claude-sonnet-4-5-20250929, in \/\S+ · 2 tools/,
  )
  await expect(view.getByTestId('transcript')).not.toContainText('"subtype"')

  // Live: the tokens are the quota's (input + output + cache writes = 2,300; cache reads apart),
  // and the cost says when it comes.
  await expect(view.getByTestId('run-tokens')).toHaveText(
    '2.3k tokens counted (+5k cache reads, not counted)',
  )
  await expect(view.getByTestId('run-cost')).toHaveText(
    'Claude Code says its cost when it finishes',
  )
  await expect(page.getByTestId('lane-alice').getByTestId('lane-meter')).toContainText('23%')
  await expect(page.getByTestId('lane-alice').getByRole('meter')).toHaveAttribute(
    'aria-valuetext',
    /2\.3k of 10k tokens/,
  )

  // The assistant's markdown: plain words in the one-liner, rendered when opened.
  const prose = view.getByTestId('transcript-entry').filter({ hasText: 'Plan' }).first()
  await expect(prose.locator('.tx-text')).toHaveText('Plan')
  await prose.click()
  await expect(prose.getByRole('heading', { name: 'Plan' })).toBeVisible()
  await expect(prose.locator('strong')).toHaveText('Build')
  await expect(prose.locator('code')).toHaveText('npm test')
  await expect(prose).not.toContainText('**')
  await page.screenshot({ path: join(ARTIFACTS, 'words-transcript-1440-light.png') })

  await expect(view.getByTestId('run-state')).toHaveText(/done/, { timeout: 20_000 })
  await expect(view.getByTestId('run-cost')).toHaveText('$0.042')
  await expect(view.getByTestId('run-exit')).toHaveText('Finished')
  await expect(view.getByTestId('run-tokens')).toContainText('2.3k tokens counted')
  const final = view.getByTestId('transcript-entry').filter({ hasText: 'Built' })
  await expect(final.locator('.tx-label')).toHaveText('Final answer')
  await expect(final.locator('.tx-text')).toHaveText('Built the table.')
  await expect(final.locator('strong')).toHaveText('the table')
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.setViewportSize({ width: 1024, height: 700 })
  await page.screenshot({ path: join(ARTIFACTS, 'words-transcript-1024-dark.png') })
})
