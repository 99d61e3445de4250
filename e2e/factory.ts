// e2e fixtures: a real `factory serve` (the built CLI) on a fresh ledger per test, and a helper to
// run other `factory` commands against the same ledger, as a second process would.
import { test as base } from '@playwright/test'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = join(root, 'bin', 'factory.js')
export const ARTIFACTS = join(root, 'e2e', 'artifacts')
mkdirSync(ARTIFACTS, { recursive: true })

export interface Factory {
  url: string
  db: string
  /** This test's temporary folder (the ledger's folder), removed afterwards. */
  dir: string
  /** Runs `factory …` against this test's ledger and returns its parsed --json output. */
  cli(...args: string[]): unknown
}

async function startServe(db: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--json', '--db', db], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString()
      const line = out.split('\n').find((l) => l.startsWith('{'))
      if (line && out.includes('\n')) resolve((JSON.parse(line) as { url: string }).url)
    })
    child.once('exit', (code) => reject(new Error(`factory serve exited ${code}: ${stderr}`)))
  })
  return { child, url }
}

export const test = base.extend<{ factory: Factory }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures take their dependencies as a pattern
  factory: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'factory-e2e-'))
    const db = join(dir, 'ledger.db')
    const { child, url } = await startServe(db)
    const cli = (...args: string[]): unknown => {
      const result = spawnSync(process.execPath, [bin, ...args, '--db', db, '--json'], {
        encoding: 'utf8',
      })
      if (result.status !== 0) throw new Error(`factory ${args.join(' ')} failed: ${result.stderr}`)
      return JSON.parse(result.stdout)
    }
    await use({ url, db, dir, cli })
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    // A run's detached supervisor may still be writing its last files into the folder as it is
    // removed (ENOTEMPTY): retried, as rmSync allows, rather than failing a test that passed.
    rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 })
  },
})

export { expect } from '@playwright/test'
