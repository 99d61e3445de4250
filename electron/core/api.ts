// The handlers that implement shared/api.ts, once, for every host. Each receives input already
// validated by the operation's zod schema and the actor (which host, which person) doing it.
import type { OperationName, Output, ParsedInput } from '../../shared/api'
import { addAgent, listAgents, removeAgent } from './agents'
import { readBoard } from './board'
import type { Ledger } from './db/ledger'
import { addSpec, editSpec, listSpecs, moveSpec, requireSpec } from './specs'

export interface CallContext {
  ledger: Ledger
  /** Who did it, as the log shows it: "cli", "desktop", "browser". */
  actor: string
}

export type Handlers = {
  [Op in OperationName]: (input: ParsedInput<Op>, context: CallContext) => Output<Op>
}

export const handlers: Handlers = {
  'agent/add': (input, { ledger, actor }) => addAgent(ledger, actor, input),
  'agent/list': (_input, { ledger }) => listAgents(ledger),
  'agent/remove': (input, { ledger, actor }) => removeAgent(ledger, actor, input),
  'spec/add': (input, { ledger, actor }) => addSpec(ledger, actor, input),
  'spec/list': (input, { ledger }) => listSpecs(ledger, input),
  'spec/get': (input, { ledger }) => requireSpec(ledger, input.id),
  'spec/move': (input, { ledger, actor }) => moveSpec(ledger, actor, input),
  'spec/edit': (input, { ledger, actor }) => editSpec(ledger, actor, input),
  'board/get': (_input, { ledger }) => readBoard(ledger),
  'log/list': (input, { ledger }) => {
    // Newest last: the last `limit` events after `after`.
    if (input.after !== undefined) return ledger.eventsAfter(input.after, input.limit)
    return ledger.eventsAfter(Math.max(0, ledger.latestSeq() - input.limit), input.limit)
  },
}
