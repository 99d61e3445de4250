// Test helpers: a real ledger file in a fresh temporary folder, removed after the test.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export function tempDir(prefix = 'factory-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

export function tempLedgerPath(): { path: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir()
  return { path: join(dir, 'ledger.db'), cleanup }
}
