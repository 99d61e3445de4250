import { defineConfig } from '@playwright/test'
import { CHROMIUM_LAUNCH_OPTIONS } from './e2e/chromium'

// End-to-end tests drive Debian's Chromium (never a downloaded browser) against the real engine in
// browser mode: `factory serve` from the build, a real ledger file per test.
export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1400, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: CHROMIUM_LAUNCH_OPTIONS,
  },
})
