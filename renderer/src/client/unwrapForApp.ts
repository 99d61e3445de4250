// An engine answer as the app takes it: the engine's refusals carry the CLI's fixes for every host
// alike ("(factory agent set bob --enabled yes)"); every message the app shows, whichever screen
// shows it, leaves them out here, once, where it crosses into the renderer.
import { FactoryError, unwrapEnvelope } from '../../../shared/errors'
import { withoutCliHints } from '../board/wording'

export function unwrapForApp<T>(envelope: unknown): T {
  try {
    return unwrapEnvelope<T>(envelope)
  } catch (error) {
    if (error instanceof FactoryError)
      throw new FactoryError(error.code, withoutCliHints(error.message))
    throw error
  }
}
