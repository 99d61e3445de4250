// Where the ledger lives. Every host computes it here, so the desktop app, the browser mode and the
// CLI open the same file (Electron's own userData folder would differ from the CLI's on Linux).
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'

export const APP_FOLDER = 'factory-stack'

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_FOLDER)
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_FOLDER)
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), APP_FOLDER)
}

/**
 * A ledger's own files (run folders, worktrees, shipped screenshots) sit beside it in a folder
 * named after it, so two ledgers in one folder never share a run's files or its process marker
 * (run ids restart at r_1 in every ledger). Runs recorded before keep the folder their row names.
 */
export function ledgerFilesDir(dbPath: string): string {
  return `${resolve(dbPath)}.files`
}

/** `--db PATH` wins, then FACTORY_DB, then the platform's data folder. */
export function resolveLedgerPath(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (flag) return resolve(flag)
  if (env.FACTORY_DB) return resolve(env.FACTORY_DB)
  return join(defaultDataDir(env), 'ledger.db')
}
