// Errors are values a user can read: a code a program can branch on and a sentence a person can act on.

export const ERROR_CODES = [
  'InvalidInput',
  'UnknownOperation',
  'SpecNotFound',
  'AgentNotFound',
  'AgentExists',
  'AgentCliMissing',
  'AgentUnavailable',
  'RunNotFound',
  'SpecBusy',
  'DependencyCycle',
  'SpecNotReady',
  'RunNotActive',
  'WorkspaceError',
  'MergeRefused',
  'DiscardRefused',
  'LedgerTooNew',
  'LedgerUnavailable',
  'Unauthorized',
  'Forbidden',
  'Internal',
] as const
export type ErrorCode = (typeof ERROR_CODES)[number]

export interface ErrorPayload {
  code: ErrorCode
  message: string
}

export class FactoryError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** What went wrong underneath (an SQLite or system error), for code that must tell them apart. */
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = code
  }

  toPayload(): ErrorPayload {
    return { code: this.code, message: this.message }
  }

  /** "SpecNotFound: no spec with id "s_12"" — how the CLI and the UI show it. */
  override toString(): string {
    return `${this.code}: ${this.message}`
  }
}

export function isErrorPayload(value: unknown): value is ErrorPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorPayload).code === 'string' &&
    typeof (value as ErrorPayload).message === 'string'
  )
}

/** Whatever was thrown, as a FactoryError, so every host and the UI have one shape of error. */
export function toFactoryError(error: unknown): FactoryError {
  if (error instanceof FactoryError) return error
  return new FactoryError('Internal', error instanceof Error ? error.message : String(error))
}

/** Whatever was thrown, as something safe to send to another process. */
export function toErrorPayload(error: unknown): ErrorPayload {
  return toFactoryError(error).toPayload()
}

function asErrorCode(code: string): ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'Internal'
}

/** An envelope from any host (checked, since it crossed a process boundary) as its result, or thrown. */
export function unwrapEnvelope<T>(envelope: unknown): T {
  if (typeof envelope === 'object' && envelope !== null && 'ok' in envelope) {
    if (envelope.ok === true && 'result' in envelope) return envelope.result as T
    if (envelope.ok === false && 'error' in envelope && isErrorPayload(envelope.error)) {
      throw new FactoryError(asErrorCode(envelope.error.code), envelope.error.message)
    }
  }
  throw new FactoryError('Internal', 'the factory answered something that is not an envelope')
}

/** Every host answers with this envelope, so a failure crosses IPC and HTTP intact. */
export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ErrorPayload }
