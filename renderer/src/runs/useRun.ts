// One run (or a spec's runs) as the engine reports it, re-read whenever the ledger says it changed.
import type { Run, RunId } from '../../../shared/runs'
import { client } from '../client'
import { useLedgerRead } from '../client/useLedgerRead'

export function useRun(id: RunId) {
  const { value, error } = useLedgerRead(
    id,
    () => client().call('run/get', { id }),
    (subject) => subject === id,
  )
  return { run: value, error }
}

/** A spec's runs, newest first; re-read when any of them (or the spec) changes. */
export function useSpecRuns(specId: string) {
  const { value, error } = useLedgerRead<Run[]>(
    specId,
    () => client().call('run/list', { spec: specId, limit: 50 }),
    (subject, payload) => subject === specId || payload.spec === specId,
  )
  return { runs: value, error }
}
