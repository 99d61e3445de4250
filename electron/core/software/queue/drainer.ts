// The loop on a remote agent's side (`factory drain`): return stale claims, claim the oldest
// waiting spec, run it (or hand its path to an external loop), repeat. Needs no ledger: the queue
// directory is all it reads and writes.
import type { ClaimEnd } from './claimedRun'
import { runClaimed } from './claimedRun'
import {
  claim,
  DEFAULT_STALE_MS,
  ensureQueue,
  holds,
  listWaiting,
  renewIntervalMs,
  type Claim,
} from './maildir'
import { returnStaleClaims } from './staleClaims'
import { DrainerWatchdog } from './watchdog'

export interface DrainOptions {
  queue: string
  /** Run each spec with this argv; without it, print each claimed path for an external loop. */
  command?: string[]
  /** One spec, then stop. */
  once?: boolean
  /** Stop when nothing waits in new/ instead of waiting for more. */
  untilEmpty?: boolean
  staleMs?: number
  workspace?: string
  /** How often an empty queue is looked at again. */
  pollMs?: number
  /** Aborted (SIGTERM, SIGINT): stop the running command, give its spec back, stop. */
  stop: AbortSignal
  /** One line per claimed spec: its path (no command), or `<id> <outcome>`. */
  say: (line: string) => void
  note: (text: string) => void
}

export interface Drained {
  id: string
  /** Where it was claimed: cur/<id>.md. */
  path: string
  end: ClaimEnd | 'claimed'
}

export async function drain(options: DrainOptions): Promise<Drained[]> {
  const { queue } = options
  // A drainer may well start before anything was enqueued; a mistyped folder should still show.
  if (ensureQueue(queue)) options.note(`${queue} did not exist; made it as an empty queue`)
  const drained: Drained[] = []
  // Only a drainer that runs commands has any to stop should it die.
  const watchdog = options.command ? DrainerWatchdog.start() : undefined
  try {
    return await loop(options, drained, watchdog)
  } finally {
    watchdog?.close()
  }
}

async function loop(
  options: DrainOptions,
  drained: Drained[],
  watchdog: DrainerWatchdog | undefined,
): Promise<Drained[]> {
  const { queue, stop } = options
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS
  const pollMs = options.pollMs ?? 500
  let idle = false
  // One listing serves many claims; the names in it that others took meanwhile just fail to rename.
  let candidates: string[] = []
  let sweptAt = 0
  const next = (): Claim | undefined => {
    for (let listed = false; ;) {
      const id = candidates.shift()
      if (id !== undefined) {
        const claimed = claim(queue, id)
        if (claimed) return claimed
        continue
      }
      if (listed) return undefined
      candidates = listWaiting(queue)
      listed = true
    }
  }
  while (!stop.aborted) {
    if (Date.now() - sweptAt >= renewIntervalMs(staleMs)) {
      for (const id of returnStaleClaims(queue, staleMs).returned) {
        options.note(`${id}: its claim was not renewed for ${staleMs} ms; returned to new/`)
      }
      sweptAt = Date.now()
    }
    const claimed = next()
    if (!claimed) {
      if (options.untilEmpty) break
      if (!idle) options.note(`waiting for specs in ${queue}/new (Ctrl-C stops)`)
      idle = true
      await pause(pollMs, stop)
      continue
    }
    idle = false
    if (!options.command) {
      options.say(claimed.path)
      drained.push({ id: claimed.id, path: claimed.path, end: 'claimed' })
      if (options.once) break
      // One at a time: the external loop finishes (or loses) this claim before the next is taken.
      while (!stop.aborted && holds(claimed)) await pause(pollMs, stop)
      continue
    }
    const end = await runClaimed(claimed, {
      command: options.command,
      staleMs,
      stop,
      note: options.note,
      ...(watchdog ? { watchdog } : {}),
      ...(options.workspace ? { workspace: options.workspace } : {}),
    })
    options.say(`${claimed.id} ${end}`)
    drained.push({ id: claimed.id, path: claimed.path, end })
    if (options.once) break
  }
  return drained
}

function pause(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      stop.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    stop.addEventListener('abort', done)
  })
}
