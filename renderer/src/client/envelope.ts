// Turns whatever a host answered into a result or a FactoryError a person can read.
import { ERROR_CODES, FactoryError, isErrorPayload, type ErrorCode } from '../../../shared/errors'

function asErrorCode(code: string): ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'Internal'
}

export function unwrapEnvelope<T>(envelope: unknown): T {
  if (typeof envelope === 'object' && envelope !== null && 'ok' in envelope) {
    if (envelope.ok === true && 'result' in envelope) return envelope.result as T
    if (envelope.ok === false && 'error' in envelope && isErrorPayload(envelope.error)) {
      throw new FactoryError(asErrorCode(envelope.error.code), envelope.error.message)
    }
  }
  throw new FactoryError('Internal', 'the factory answered something that is not an envelope')
}

/** Any thrown value as a FactoryError, so the UI has one shape of error to show. */
export function toFactoryError(error: unknown): FactoryError {
  if (error instanceof FactoryError) return error
  return new FactoryError('Internal', error instanceof Error ? error.message : String(error))
}
