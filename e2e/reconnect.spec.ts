// A tab open across a restart of `factory serve`, an address that no longer lets a browser in, the
// open drawer and run view kept in the address, and Esc in a form with typed edits.
import { test as base, type Page } from '@playwright/test'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { card, toast, addFixtureLane } from './board'
import { ARTIFACTS, expect } from './factory'

const bin = fileURLToPath(new URL('../bin/factory.js', import.meta.url))

interface Serving {
  child: ChildProcess
  url: string
  port: number
}

/** `factory serve` as a person starts it, on this test's ledger; stop() is Ctrl+C. */
class Factory {
  readonly dir = mkdtempSync(join(tmpdir(), 'factory-e2e-'))
  readonly db = join(this.dir, 'ledger.db')
  serving: Serving | null = null

  async start(port = 0, ...flags: string[]): Promise<Serving> {
    const args = [bin, 'serve', '--port', String(port), '--json', '--db', this.db, ...flags]
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
    const started = await new Promise<{ url: string; port: number }>((resolve, reject) => {
      let out = ''
      child.stdout?.on('data', (c: Buffer) => {
        out += c.toString()
        const line = out.split('\n').find((l) => l.startsWith('{'))
        if (line && out.includes('\n')) resolve(JSON.parse(line) as { url: string; port: number })
      })
      child.once('exit', (code) => reject(new Error(`factory serve exited ${code}: ${stderr}`)))
    })
    this.serving = { child, ...started }
    return this.serving
  }

  async stop(): Promise<void> {
    const child = this.serving?.child
    this.serving = null
    if (!child || child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }

  cli(...args: string[]): unknown {
    const result = spawnSync(process.execPath, [bin, ...args, '--db', this.db, '--json'], {
      encoding: 'utf8',
    })
    if (result.status !== 0) throw new Error(`factory ${args.join(' ')} failed: ${result.stderr}`)
    return JSON.parse(result.stdout)
  }
}

const test = base.extend<{ factory: Factory }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as a pattern
  factory: async ({}, use) => {
    const factory = new Factory()
    await use(factory)
    await factory.stop()
    rmSync(factory.dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 })
  },
})

const SIZES = [
  { name: '1440', width: 1440, height: 900 },
  { name: '1024', width: 1024, height: 700 },
] as const

/** The page as it is now at both sizes, light and dark: e2e/artifacts/reconnect-NAME-SIZE-SCHEME.png */
async function shoot(page: Page, name: string): Promise<void> {
  const before = page.viewportSize()
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height })
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      await page.screenshot({
        path: join(ARTIFACTS, `reconnect-${name}-${size.name}-${scheme}.png`),
        animations: 'disabled',
      })
    }
  }
  await page.emulateMedia({ colorScheme: 'light' })
  if (before) await page.setViewportSize(before)
}

test('serve restarts: the open tab says it is reconnecting and when, then comes back by itself', async ({
  page,
  factory,
}) => {
  const { port, url } = await factory.start()
  factory.cli('spec', 'add', '--title', 'Before the restart')
  await page.goto(url)
  await expect(card(page, 'Before the restart')).toBeVisible()
  await expect(page.getByTestId('connection')).toHaveText('Live')
  let navigations = 0
  page.on('framenavigated', () => navigations++)

  await factory.stop()
  const notice = page.getByTestId('connection-notice')
  await expect(notice).toContainText('Reconnecting to the factory')
  await expect(notice).toContainText(/Next try at \d\d:\d\d:\d\d \(in \d+ s\)/)
  factory.cli('spec', 'add', '--title', 'While it was stopped')
  await shoot(page, 'reconnecting')

  await factory.start(port)
  await expect(notice).toBeHidden({ timeout: 20_000 })
  await expect(page.getByTestId('connection')).toHaveText('Live')
  // What happened while nobody was serving, and what happens after, both reach the open tab.
  await expect(card(page, 'While it was stopped')).toBeVisible()
  factory.cli('spec', 'add', '--title', 'After the restart')
  await expect(card(page, 'After the restart')).toBeVisible()
  expect(navigations).toBe(0)
})

test('a restart with a new key: the tab says how to get in, and a reload shows a page, not JSON', async ({
  page,
  factory,
  browser,
}) => {
  const { port, url } = await factory.start()
  await page.goto(url)
  await expect(page.getByTestId('connection')).toHaveText('Live')

  await factory.stop()
  const fresh = await factory.start(port, '--new-token')
  expect(fresh.url).not.toBe(url)
  const notice = page.getByTestId('connection-notice')
  await expect(notice).toContainText('started again with a new key', { timeout: 20_000 })
  await expect(notice).toContainText('Open the address the factory printed when it started')
  await expect(notice).not.toContainText('factory serve')
  await shoot(page, 'new-key')

  await page.reload()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'This key does not open the board any more',
  )
  await expect(page.locator('body')).toContainText(
    'Open the address the factory printed when it started',
  )
  await expect(page.locator('body')).not.toContainText('"ok"')
  await shoot(page, 'refusal-page')

  // The address it printed this time lets the same tab in again.
  await page.goto(fresh.url)
  await expect(page.getByTestId('connection')).toHaveText('Live')

  // A browser with no key, or an address whose key is wrong: the same kind of page.
  const stranger = await browser.newPage()
  const reply = await stranger.goto(`http://localhost:${port}/?spec=s_1`)
  expect(reply?.status()).toBe(401)
  expect(reply?.headers()['content-type']).toContain('text/html')
  await expect(stranger.getByRole('heading', { level: 1 })).toHaveText(
    'This browser has no key to the board yet',
  )
  await stranger.goto(`http://127.0.0.1:${port}/?token=not-the-key`)
  await expect(stranger.getByRole('heading', { level: 1 })).toHaveText(
    'This key does not open the board any more',
  )
  await stranger.close()
})

test('the open drawer and run view are in the address: reload and links reopen them, Back closes', async ({
  page,
  factory,
}) => {
  const { url } = await factory.start()
  addFixtureLane(factory, 'bob', ['done'])
  factory.cli('spec', 'add', '--title', 'Pricing page')
  factory.cli('spec', 'add', '--title', 'Onboarding email')
  factory.cli('dispatch', 's_2', '--agent', 'bob', '--wait')
  await page.goto(url)
  // Someone else's param (a filter) rides along untouched.
  await page.goto(`${new URL(url).origin}/?q=pricing`)
  await card(page, 'Pricing page').click()
  const drawer = page.getByTestId('spec-drawer')
  await expect(drawer).toContainText('Pricing page')
  await expect(page).toHaveURL(/\/\?q=pricing&spec=s_1$/)

  await page.reload()
  await expect(drawer).toContainText('Pricing page')
  await expect(drawer).toBeFocused()
  await shoot(page, 'drawer-reopened')

  await page.goBack()
  await expect(drawer).toBeHidden()
  await expect(page).toHaveURL(/\/\?q=pricing$/)
  await page.goForward()
  await expect(drawer).toContainText('Pricing page')

  // A pasted link to a run, on its raw log tab.
  const origin = new URL(url).origin
  await page.goto(`${origin}/?run=r_1&tab=log`)
  const view = page.getByTestId('run-view')
  await expect(view).toBeVisible()
  await expect(page.getByTestId('tab-log')).toHaveAttribute('aria-selected', 'true')
  await page.reload()
  await expect(page.getByTestId('tab-log')).toHaveAttribute('aria-selected', 'true')
  await page.keyboard.press('Escape')
  await expect(view).toBeHidden()
  await expect(page).toHaveURL(`${origin}/`)

  // A link to what no longer exists says so, and leaves the board usable.
  await page.goto(`${origin}/?spec=s_99&run=r_42`)
  await expect(
    toast(page, 'There is no spec s_99 and no run r_42 on this board any more'),
  ).toBeVisible()
  await expect(drawer).toBeHidden()
  await expect(view).toBeHidden()
  await expect(page).toHaveURL(`${origin}/`)
  await expect(card(page, 'Pricing page')).toBeVisible()
  await shoot(page, 'missing-link')
  // Hostile params open nothing and break nothing.
  await page.goto(`${origin}/?spec=%3Cscript%3E&run=r_1%00&tab=%E0%A4%A`)
  await expect(card(page, 'Pricing page')).toBeVisible()
  await expect(drawer).toBeHidden()
})

test('Esc in a form with typed edits asks, with Keep editing focused, and keeps them', async ({
  page,
  factory,
}) => {
  const { url } = await factory.start()
  factory.cli('spec', 'add', '--title', 'Pricing page', '--body', 'Three tiers.')
  await page.goto(url)
  await card(page, 'Pricing page').click()
  const drawer = page.getByTestId('spec-drawer')
  await drawer.getByRole('button', { name: 'Edit' }).click()
  const title = drawer.getByLabel('Title')
  await title.fill('Pricing page, yearly plans too')

  const ask = page.getByTestId('discard-changes')
  await page.keyboard.press('Escape')
  await expect(ask).toBeVisible()
  await expect(ask.getByRole('heading')).toHaveText('Discard your changes?')
  await expect(ask.getByRole('button', { name: 'Keep editing' })).toBeFocused()
  await shoot(page, 'discard-drawer')
  await page.keyboard.press('Escape') // Esc again keeps them
  await expect(ask).toBeHidden()
  await expect(title).toHaveValue('Pricing page, yearly plans too')
  await expect(title).toBeFocused()
  await expect(drawer).toBeVisible()
  // Esc pressed with focus outside the form asks too, rather than closing the drawer.
  await drawer.getByTestId('source-mark').click()
  await page.keyboard.press('Escape')
  await expect(ask).toBeVisible()
  await ask.getByRole('button', { name: 'Discard changes' }).click()
  await expect(drawer.getByLabel('Title')).toBeHidden()
  await expect(drawer).toContainText('Pricing page')
  await expect(drawer).not.toContainText('yearly plans')
  // An untouched form still closes at once.
  await drawer.getByRole('button', { name: 'Edit' }).click()
  await page.keyboard.press('Escape')
  await expect(drawer.getByLabel('Title')).toBeHidden()
  await expect(ask).toBeHidden()
  await page.keyboard.press('Escape')
  await expect(drawer).toBeHidden()

  // The new-spec dialog: Esc, Enter on the focused Keep editing, Esc again, then Discard.
  await page.keyboard.press('n')
  const dialog = page.getByTestId('new-spec-dialog')
  await dialog.getByLabel('Title').fill('Status page')
  await page.keyboard.press('Escape')
  await expect(ask).toBeVisible()
  await shoot(page, 'discard-new-spec')
  await page.keyboard.press('Enter')
  await expect(ask).toBeHidden()
  await expect(dialog.getByLabel('Title')).toHaveValue('Status page')
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Escape')
    await expect(ask).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(ask).toBeHidden()
    await expect(dialog).toBeVisible()
  }
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await ask.getByRole('button', { name: 'Discard changes' }).click()
  await expect(dialog).toBeHidden()
  expect(factory.cli('spec', 'list')).toHaveLength(1)
  await page.keyboard.press('n')
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
})
