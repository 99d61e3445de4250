// A full disk, for a run: told apart from other failures, noticed even while the agent is quiet,
// and survived. Each run keeps a small reserve file; when the disk is full, the supervisor stops
// the agent and deletes the reserve, so the outcome can still be written and committed — "disk
// full" within seconds instead of two minutes of retries and a run marked lost.
import { existsSync, rmSync, statfsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const RESERVE_FILE = 'reserve.bin'
/** Room for outcome.json and the ledger's commit of the outcome (a few WAL frames), many times over. */
export const RESERVE_BYTES = 1024 * 1024

const FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL'])

/** The error, or what it wraps (a ledger error carries SQLite's), says the disk or quota is full. */
export function isDiskFull(error: unknown): boolean {
  for (let at = error, depth = 0; at && depth < 5; depth++) {
    const code = (at as { code?: unknown }).code
    if (typeof code === 'string' && FULL_CODES.has(code)) return true
    at = (at as { cause?: unknown }).cause
  }
  return false
}

/** Written with real bytes (not sparse), so deleting it gives the disk that much back. */
export function reserveSpace(runDir: string, bytes = RESERVE_BYTES): void {
  writeFileSync(join(runDir, RESERVE_FILE), Buffer.alloc(bytes))
}

/** True if there was a reserve to delete; never throws (recovery calls it for every lost run). */
export function releaseSpace(runDir: string): boolean {
  const path = join(runDir, RESERVE_FILE)
  try {
    if (!existsSync(path)) return false
    rmSync(path, { force: true })
    return true
  } catch {
    return false
  }
}

/** The first folder whose disk has no block left for an ordinary user, if any. */
export function fullDisk(folders: readonly string[]): string | undefined {
  for (const folder of folders) {
    try {
      if (statfsSync(folder).bavail === 0) return folder
    } catch {
      // a folder that went away is not a full disk; its writes will say what is wrong
    }
  }
  return undefined
}
