// Test helpers: a real ledger file in a fresh temporary folder, removed after the test.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export function tempDir(prefix = 'factory-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  // Retried: a run's detached supervisor may still be writing its last files as the folder goes.
  const cleanup = () =>
    rmSync(dir, { recursive: true, force: true, maxRetries: 20, retryDelay: 50 })
  return { dir, cleanup }
}

export function tempLedgerPath(): { path: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir()
  return { path: join(dir, 'ledger.db'), cleanup }
}
