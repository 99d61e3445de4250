// Entry of a run's supervisor process: `supervisor.js --db PATH --artifacts DIR --run r_12`, or
// `--standby`: started ahead of time by a long-lived host, modules loaded, waiting on its IPC
// channel for a run, so a dispatch starts the agent at once (and exiting if the host goes first).
// SIGTERM (cancel) stops the run's whole process tree.
import { parseArgs } from 'node:util'

// A cancel can arrive while the modules below still load: remember it instead of dying silently.
let cancelled = false
let onCancel = (): void => {
  cancelled = true
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => onCancel())
// Detached, so no terminal hangs up on us; ignore it if one is sent anyway.
process.on('SIGHUP', () => undefined)

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    run: { type: 'string' },
    artifacts: { type: 'string' },
    standby: { type: 'boolean' },
  },
  // The run id also appears as a bare word so `ps` and /proc/<pid>/cmdline show whose supervisor it is.
  allowPositionals: true,
})
if (!values.db || !values.artifacts || (!values.run && !values.standby)) {
  process.stderr.write('usage: supervisor --db PATH --artifacts DIR (--run RUN_ID | --standby)\n')
  process.exit(2)
}

const { openLedger } = await import('../../db/ledger')
const { RunSupervisor } = await import('./supervisor')
const { standbyAssignment } = await import('./launch')

// Opened before a standby waits, so a dispatch costs it nothing but the spawn.
const binding = process.env.FACTORY_SQLITE_BINDING
// Tests that let hours pass (quota holds, resets) move every clock of a run by the same amount.
const clockOffset = Number(process.env.FACTORY_CLOCK_OFFSET_MS ?? 0) || 0
const ledger = openLedger({
  path: values.db,
  ...(binding ? { nativeBinding: binding } : {}),
  ...(clockOffset ? { now: () => Date.now() + clockOffset } : {}),
})
const assignment = values.run ? { runId: values.run, env: {} } : await standbyAssignment()
const supervisor = new RunSupervisor({
  ledger,
  runId: assignment.runId,
  artifactsDir: values.artifacts,
  childEnv: assignment.env,
})
onCancel = () =>
  supervisor.stop({ class: 'cancelled', message: 'stopped on request, with everything it started' })
if (cancelled) onCancel()
// Nothing may leave the agent running unsupervised: an error no one caught stops it and records why.
process.on('uncaughtException', (error) => {
  supervisor.crash(error)
  process.exit(1)
})

try {
  await supervisor.run()
} finally {
  ledger.close()
}
process.exit(0)
