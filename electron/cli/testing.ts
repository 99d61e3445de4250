// Test helper for the CLI: runs `factory …` in-process against one ledger file and collects what
// it prints, as a terminal would see it.
import { runCli } from './cli'

// Parsed CLI output is checked field by field by each assertion.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any

export interface CliResult {
  code: number
  /** Lines printed (each with its newline). */
  stdout: string
  stderr: string
  /** Bytes written as they are (a run's raw log). */
  raw: string
  json: () => Json
}

/** `factory(...argv)` on the ledger `dbPath()` names (read at each call: tests make new folders). */
export function cliOn(dbPath: () => string, env: NodeJS.ProcessEnv = {}) {
  return async (...argv: string[]): Promise<CliResult> => {
    let stdout = ''
    let stderr = ''
    let raw = ''
    const code = await runCli(argv, {
      stdout: (t) => (stdout += t + '\n'),
      stderr: (t) => (stderr += t + '\n'),
      write: (t) => (raw += t),
      env: { ...env, FACTORY_DB: dbPath() },
    })
    return { code, stdout, stderr, raw, json: () => JSON.parse(stdout) as Json }
  }
}
