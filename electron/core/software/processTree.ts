// Stopping a run means stopping everything it started. A run's child leads its own process group;
// we signal the group and, on Linux, also every descendant found through /proc, because a
// grandchild that called setsid() has left the group and would otherwise survive as an orphan.
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Is `pid` alive and (where the OS lets us check) really a run supervisor of this ledger, not a
 * reused pid? A cold-started supervisor names its run in its argv; a standby names the ledger only.
 */
export function isSupervisorOf(pid: number, runId: string, dbPath?: string): boolean {
  if (!isAlive(pid)) return false
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
    return (
      args.includes(runId) || (args.includes('--standby') && (!dbPath || args.includes(dbPath)))
    )
  } catch {
    return true // no /proc (macOS): trust the pid
  }
}

function parentsByPid(): Map<number, number> {
  const parents = new Map<number, number>()
  try {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue
      try {
        const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
        // Field 4 is the ppid; the command (field 2) may contain spaces and parentheses.
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
        parents.set(Number(name), ppid)
      } catch {
        // exited while we looked
      }
    }
  } catch {
    try {
      const out = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' })
      for (const line of out.trim().split('\n')) {
        const [pid, ppid] = line.trim().split(/\s+/).map(Number)
        if (pid && ppid !== undefined) parents.set(pid, ppid)
      }
    } catch {
      // no ps either: the process group signal is all we have
    }
  }
  return parents
}

export function descendantsOf(root: number): number[] {
  const parents = parentsByPid()
  const found: number[] = []
  const queue = [root]
  while (queue.length) {
    const parent = queue.shift()!
    for (const [pid, ppid] of parents) {
      if (ppid === parent && !found.includes(pid)) {
        found.push(pid)
        queue.push(pid)
      }
    }
  }
  return found
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig)
  } catch {
    // already gone
  }
}

/**
 * Stops `leader`'s process group and all its descendants: SIGTERM, then SIGKILL for whatever is
 * still alive after `graceMs`. Resolves when nothing of the tree is left (or after the SIGKILL).
 */
export async function killTree(leader: number, graceMs = 3000): Promise<void> {
  const members = [leader, ...descendantsOf(leader)]
  signal(-leader, 'SIGTERM')
  for (const pid of members) signal(pid, 'SIGTERM')
  const deadline = Date.now() + graceMs
  while (Date.now() < deadline) {
    if (!members.some(isAlive) && !isAlive(-leader)) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  // Descendants may have forked again meanwhile.
  const survivors = [...members, ...members.flatMap(descendantsOf)]
  signal(-leader, 'SIGKILL')
  for (const pid of survivors) signal(pid, 'SIGKILL')
}

/** At once, no grace: for trees whose supervisor is already gone (recovery, a cancel with no supervisor). */
export function killTreeNow(leader: number): void {
  const members = [leader, ...descendantsOf(leader)]
  signal(-leader, 'SIGKILL')
  for (const pid of members) signal(pid, 'SIGKILL')
}
