// The engine every host constructs: a ledger, its feed of committed events and the handler map,
// behind one `invoke` that validates input and never throws across a host boundary.
import {
  checkInput,
  isOperationName,
  type Input,
  type OperationName,
  type Output,
} from '../../shared/api'
import type { LedgerEvent } from '../../shared/domain'
import { FactoryError, toErrorPayload, unwrapEnvelope, type Envelope } from '../../shared/errors'
import { handlers } from './api'
import { openLedger, type Ledger } from './db/ledger'
import { LedgerFeed } from './feed'

export interface EngineOptions {
  dbPath: string
  nativeBinding?: string
  now?: () => number
  /** How often other processes' commits are looked for (ms). */
  feedIntervalMs?: number
}

export class Engine {
  readonly ledger: Ledger
  private feed: LedgerFeed | undefined

  constructor(private readonly options: EngineOptions) {
    this.ledger = openLedger({
      path: options.dbPath,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
      ...(options.now ? { now: options.now } : {}),
    })
  }

  /** Typed call for in-process callers; throws FactoryError. */
  call<Op extends OperationName>(op: Op, input: Input<Op>, actor: string): Output<Op> {
    return unwrapEnvelope<Output<Op>>(this.invoke(op, input, actor))
  }

  /** For hosts: any name, any input; answers an Envelope and writes nothing on bad input. */
  invoke(op: string, input: unknown, actor: string): Envelope<unknown> {
    try {
      if (!isOperationName(op)) {
        throw new FactoryError('UnknownOperation', `no operation named "${op}"`)
      }
      const checked = checkInput(op, input ?? {})
      if (!checked.ok) throw new FactoryError('InvalidInput', `${op}: ${checked.problem}`)
      const handler = handlers[op] as (input: unknown, context: object) => unknown
      return { ok: true, result: handler(checked.input, { ledger: this.ledger, actor }) }
    } catch (error) {
      return { ok: false, error: toErrorPayload(error) }
    }
  }

  /** Committed events from any process, in order, starting after the current newest. */
  subscribe(listener: (event: LedgerEvent) => void): () => void {
    this.feed ??= new LedgerFeed(this.ledger, this.options.feedIntervalMs)
    return this.feed.subscribe(listener)
  }

  close(): void {
    this.feed?.close()
    this.ledger.close()
  }
}

export function createEngine(options: EngineOptions): Engine {
  return new Engine(options)
}
