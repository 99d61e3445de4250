// When a dropped push channel is tried again: soon at first, then less often, never past a ceiling,
// so a restarted `factory serve` is found within seconds and a stopped one costs little.
const FIRST_TRY_MS = 1_000
const LONGEST_WAIT_MS = 15_000

/** The wait before try number `failed + 1`, after `failed` tries that did not get through. */
export function retryDelay(failed: number): number {
  if (!Number.isFinite(failed) || failed <= 0) return FIRST_TRY_MS
  return Math.min(FIRST_TRY_MS * 2 ** Math.min(failed, 10), LONGEST_WAIT_MS)
}

export type ProbeVerdict = 'in' | 'down' | 'key-changed' | 'wrong-address'

/** What the server's answer to the session probe means for this tab. */
export function probeVerdict(status: number | null): ProbeVerdict {
  if (status === 200) return 'in'
  if (status === 401) return 'key-changed'
  if (status === 403) return 'wrong-address'
  return 'down' // no answer, or one from a server that is starting or failing: try again
}
