// A run's outcome is decided once, written next to its log, then committed to the ledger — with
// retries, because the ledger may be locked or the disk briefly full at that moment. If the
// supervisor never manages the commit, recovery finds the file and records what really happened
// instead of "lost".
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Ledger } from '../../db/ledger'
import { recordOutcome, type OutcomeExit, type RunOutcome } from './runs'

export interface DecidedOutcome {
  outcome: RunOutcome
  exit: OutcomeExit
}

const OUTCOME_FILE = 'outcome.json'

export function writeOutcomeFile(runDir: string, decided: DecidedOutcome): void {
  const path = join(runDir, OUTCOME_FILE)
  writeFileSync(`${path}.tmp`, JSON.stringify(decided))
  renameSync(`${path}.tmp`, path)
}

export function readOutcomeFile(runDir: string): DecidedOutcome | undefined {
  const path = join(runDir, OUTCOME_FILE)
  if (!existsSync(path)) return undefined
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as DecidedOutcome
  } catch {
    return undefined
  }
}

export interface CommitPatience {
  /** How long to keep trying (the ledger locked, the disk briefly full). */
  patienceMs?: number
  /** Told each failure before the next try; returns a shorter patience to use from now on, if any. */
  onError?: (error: unknown) => number | void
}

/** Commits the outcome, retrying with backoff for about `patienceMs`; throws the last error. */
export async function commitOutcome(
  ledger: Ledger,
  actor: string,
  id: string,
  decided: DecidedOutcome,
  { patienceMs = 120_000, onError }: CommitPatience = {},
): Promise<void> {
  const started = Date.now()
  let deadline = started + patienceMs
  for (let wait = 250; ; wait = Math.min(wait * 2, 10_000)) {
    try {
      recordOutcome(ledger, actor, id, decided.outcome, decided.exit)
      return
    } catch (error) {
      const shorter = onError?.(error)
      if (shorter !== undefined) deadline = Math.min(deadline, started + shorter)
      if (Date.now() + wait > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
  }
}
