// Stopping a run means stopping everything it started. A run's child leads its own process group;
// we signal the group and, on Linux, also every descendant found through /proc and every process
// whose environment names the run, because a grandchild that called setsid() has left the group
// (and, once its parent exits, the family tree too) and would otherwise survive as an orphan.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * A process that still runs. A zombie (exited, not yet reaped by its parent) is dead: it answers
 * signals but does nothing, and under a parent that never reaps (a container whose PID 1 is a shell
 * or node) it would keep a killed supervisor's run `running` forever.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false
  }
  return !isZombie(pid)
}

const hasProc = existsSync('/proc/self/stat')

/**
 * The fields of /proc/<pid>/stat after the command (field 3, the state, is [0]; field 4, the
 * parent, is [1]; field 22, the start time, is [19]). The command, field 2, may hold spaces and
 * ')', so the fields are counted from its last ')'. Throws when the process is gone.
 */
function statFields(pid: number | string): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
}

/** A process's parent, or undefined once it is gone. */
export function parentOf(pid: number): number | undefined {
  try {
    return Number(statFields(pid)[1])
  } catch {
    return undefined
  }
}

function isZombie(pid: number): boolean {
  if (hasProc) {
    try {
      const state = statFields(pid)[0]
      return state === 'Z' || state === 'X'
    } catch {
      return true // gone between the signal and the read
    }
  }
  try {
    const state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim()
    return state === '' || state.startsWith('Z')
  } catch {
    return false // ps cannot say: believe the signal
  }
}

let bootId: string | undefined

/**
 * Who a pid is: the boot it belongs to and when it started (Linux: /proc; elsewhere: `ps`). A pid
 * is only ever signalled when this still matches what was recorded, so a pid reused after a reboot
 * or a long uptime is never mistaken for a run's process. Null where the OS will not say.
 */
export function processIdentity(pid: number): string | null {
  try {
    bootId ??= readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()
    const start = statFields(pid)[19] // start time in clock ticks
    return start ? `${bootId}:${start}` : null
  } catch {
    // not Linux, or gone
  }
  try {
    const started = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim()
    return started ? `ps:${started}` : null
  } catch {
    return null
  }
}

/** Alive and the same process that was recorded (when an identity was recorded at all). */
export function isSameProcess(pid: number | null, identity: string | null): pid is number {
  if (!pid || !isAlive(pid)) return false
  return identity === null || processIdentity(pid) === identity
}

/**
 * The environment entry only this run's processes carry: its output folder is unique across runs
 * and ledgers (a run id like r_1 is not: every ledger has one).
 */
export function runMarker(runDir: string): string {
  return `FACTORY_OUTPUT_DIR=${join(runDir, 'output')}`
}

/**
 * Every process whose environment carries the run's marker (Linux): the agent and all it started,
 * even a grandchild that left the process group and was re-parented to init. Empty elsewhere.
 */
export function runProcesses(runMarkerEntry: string): number[] {
  const at = runMarkerEntry.indexOf('=')
  const [name, value] = [runMarkerEntry.slice(0, at), runMarkerEntry.slice(at + 1)]
  return processesWithEnv(name)
    .filter((found) => found.value === value)
    .map((found) => found.pid)
}

/**
 * Each process (Linux) whose environment sets `name`, with its value: what a claimed queue file's
 * agent carries (FACTORY_QUEUE_FILE), found even when its drainer and watchdog are gone.
 */
export function processesWithEnv(name: string): { pid: number; value: string }[] {
  const found: { pid: number; value: string }[] = []
  let names: string[]
  try {
    names = readdirSync('/proc')
  } catch {
    return found
  }
  for (const entry of names) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    try {
      const environ = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0')
      const set = environ.find((line) => line.startsWith(`${name}=`))
      if (set && isAlive(Number(entry)))
        found.push({ pid: Number(entry), value: set.slice(name.length + 1) })
    } catch {
      // another user's process, or gone
    }
  }
  return found
}

function parentsByPid(): Map<number, number> {
  const parents = new Map<number, number>()
  try {
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue
      const parent = parentOf(Number(name)) // undefined: exited while we looked
      if (parent !== undefined) parents.set(Number(name), parent)
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
export async function killTree(leader: number, graceMs = 3000, marker?: string): Promise<void> {
  const members = treeOf(leader, marker)
  signal(-leader, 'SIGTERM')
  for (const pid of members) signal(pid, 'SIGTERM')
  const deadline = Date.now() + graceMs
  while (Date.now() < deadline) {
    if (!members.some(isAlive) && !isAlive(-leader)) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  // Descendants may have forked again meanwhile.
  const survivors = [...members, ...members.flatMap(descendantsOf), ...treeOf(leader, marker)]
  signal(-leader, 'SIGKILL')
  for (const pid of survivors) signal(pid, 'SIGKILL')
}

/** At once, no grace: for trees whose supervisor is already gone (recovery, a cancel with no supervisor). */
export function killTreeNow(leader: number | null, marker?: string): void {
  if (leader) signal(-leader, 'SIGKILL')
  for (const pid of leader ? treeOf(leader, marker) : marker ? runProcesses(marker) : []) {
    signal(pid, 'SIGKILL')
  }
}

function treeOf(leader: number, marker?: string): number[] {
  return [...new Set([leader, ...descendantsOf(leader), ...(marker ? runProcesses(marker) : [])])]
}
