// Test helpers: a real ledger file in a fresh temporary folder, removed after the test.
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
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

/** A ledger's bytes, as a hash: the file and its write-ahead log (a refusal must change neither). */
export function ledgerBytes(path: string): string {
  const hash = createHash('sha256')
  for (const file of [path, `${path}-wal`]) if (existsSync(file)) hash.update(readFileSync(file))
  return hash.digest('hex')
}
