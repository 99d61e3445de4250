// The full spec behind a card (with its body), re-read whenever the ledger reports news about it.
import type { Spec, SpecId } from '../../../shared/domain'
import { client } from '../client'
import { useLedgerRead } from '../client/useLedgerRead'

export function useSpec(id: SpecId) {
  const { value, error, replace } = useLedgerRead<Spec>(
    id,
    () => client().call('spec/get', { id }),
    (subject) => subject === id,
  )
  return { spec: value, error, replace }
}
