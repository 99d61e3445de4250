// Errors are values a user can read: a code a program can branch on and a sentence a person can act on.

export const ERROR_CODES = [
  'InvalidInput',
  'UnknownOperation',
  'SpecNotFound',
  'AgentNotFound',
  'AgentExists',
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
  ) {
    super(message)
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

/** Whatever was thrown, as something safe to send to another process. */
export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof FactoryError) return error.toPayload()
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'Internal', message }
}

/** Every host answers with this envelope, so a failure crosses IPC and HTTP intact. */
export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ErrorPayload }
