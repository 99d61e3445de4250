// An agent never outlives its drainer. Each `factory drain` starts one watchdog: a tiny Node
// process (plain JavaScript under `node -e`, so no build step, and one start per drainer, not per
// spec) whose stdin is a pipe from the drainer. The drainer tells it, one JSON line at a time, which
// runs are under way: their marker (the environment entry every process of the run carries, from
// birth), their process group once spawned, and their scratch folders. When the pipe closes (the
// drainer ended, even by kill -9) the watchdog stops every run still listed, removes its folders and
// exits. A run is listed before its command is spawned, so no instant exists in which a drainer's
// death would leave an agent nobody stops.
import { spawn, type ChildProcess } from 'node:child_process'
import type { Socket } from 'node:net'

/** Runs as CommonJS under `node -e`; reads `{watch|group|release}` lines on stdin. */
const WATCHDOG_SCRIPT = String.raw`
const { readdirSync, readFileSync, rmSync } = require('node:fs')
const runs = new Map()
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(name, () => {})
let pending = ''
process.stdin.setEncoding('utf8')
process.stdin.on('data', (chunk) => {
  pending += chunk
  for (let at = pending.indexOf('\n'); at >= 0; at = pending.indexOf('\n')) {
    const line = pending.slice(0, at)
    pending = pending.slice(at + 1)
    try {
      const message = JSON.parse(line)
      if (message.watch) runs.set(message.watch, { marker: message.marker, remove: message.remove, group: 0 })
      else if (message.group && runs.has(message.group)) runs.get(message.group).group = message.pgid
      else if (message.release) runs.delete(message.release)
    } catch {}
  }
})
const marked = (markers) => {
  const found = []
  let names = []
  try { names = readdirSync('/proc') } catch { return found }
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue
    try {
      const env = '\0' + readFileSync('/proc/' + name + '/environ', 'utf8')
      if (markers.some((marker) => env.includes('\0' + marker + '\0'))) found.push(Number(name))
    } catch {}
  }
  return found
}
const signal = (pid, name) => { try { process.kill(pid, name) } catch {} }
let stopping = false
const stop = () => {
  if (stopping) return
  stopping = true
  const all = [...runs.values()]
  const markers = all.map((run) => run.marker)
  const everyone = () => [...all.filter((run) => run.group).map((run) => -run.group), ...marked(markers)]
  for (const pid of everyone()) signal(pid, 'SIGTERM')
  const deadline = Date.now() + GRACE_MS
  const finish = () => {
    if (marked(markers).length > 0 && Date.now() < deadline) return setTimeout(finish, 50)
    for (const pid of everyone()) signal(pid, 'SIGKILL')
    for (const run of all) for (const path of run.remove) { try { rmSync(path, { recursive: true, force: true }) } catch {} }
    process.exit(0)
  }
  finish()
}
process.stdin.on('end', stop)
process.stdin.on('close', stop)
process.stdin.on('error', stop)
`

export interface WatchedRun {
  /** The run's marker (`runMarker(scratch)`): every process carrying it is the run's. */
  marker: string
  /** Folders removed once the run is stopped because its drainer went away. */
  remove: string[]
}

export class DrainerWatchdog {
  private constructor(private readonly child: ChildProcess) {}

  /** Starts the watchdog; `graceMs` is how long a run has after SIGTERM before SIGKILL. */
  static start(graceMs = 1000): DrainerWatchdog {
    const child = spawn(
      process.execPath,
      ['-e', WATCHDOG_SCRIPT.replaceAll('GRACE_MS', String(graceMs))],
      {
        // Its own group: a Ctrl-C meant for the drainer does not stop the one that cleans up.
        detached: true,
        stdio: ['pipe', 'ignore', 'ignore'],
        env: {
          ...process.env,
          ...(process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {}),
        },
      },
    )
    child.on('error', () => undefined) // no watchdog: the stale-claim sweep still stops orphans
    child.stdin!.on('error', () => undefined)
    // Neither the process nor its pipe keeps the drainer alive.
    child.unref()
    ;(child.stdin as unknown as Socket).unref()
    return new DrainerWatchdog(child)
  }

  watch(id: string, run: WatchedRun): void {
    this.send({ watch: id, ...run })
  }

  group(id: string, pgid: number): void {
    this.send({ group: id, pgid })
  }

  release(id: string): void {
    this.send({ release: id })
  }

  /** The drainer is done: the watchdog exits (stopping whatever is still listed). */
  close(): void {
    this.child.stdin?.end()
  }

  private send(message: object): void {
    this.child.stdin?.write(`${JSON.stringify(message)}\n`)
  }
}
