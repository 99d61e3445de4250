// Entry of a run's supervisor process: `supervisor.js --db PATH --run r_12 --artifacts DIR`.
// Started detached by the dispatcher; SIGTERM (cancel) stops the run's whole process tree.
import { parseArgs } from 'node:util'

// A cancel can arrive while the modules below still load: remember it instead of dying silently.
let cancelled = false
let onCancel = (): void => {
  cancelled = true
}
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => onCancel())
// Detached, so no terminal hangs up on us; ignore it if one is sent anyway.
process.on('SIGHUP', () => undefined)

const { openLedger } = await import('../db/ledger')
const { RunSupervisor } = await import('./supervisor')

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    run: { type: 'string' },
    artifacts: { type: 'string' },
  },
  // The run id also appears as a bare word so `ps` and /proc/<pid>/cmdline show whose supervisor it is.
  allowPositionals: true,
})
if (!values.db || !values.run || !values.artifacts) {
  process.stderr.write('usage: supervisor --db PATH --run RUN_ID --artifacts DIR\n')
  process.exit(2)
}

const binding = process.env.FACTORY_SQLITE_BINDING
const ledger = openLedger({ path: values.db, ...(binding ? { nativeBinding: binding } : {}) })
const supervisor = new RunSupervisor({ ledger, runId: values.run, artifactsDir: values.artifacts })
onCancel = () => supervisor.stop({ class: 'cancelled', message: 'cancelled' })
if (cancelled) onCancel()

try {
  await supervisor.run()
} finally {
  ledger.close()
}
process.exit(0)
