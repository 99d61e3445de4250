// An engine refusal, as it crosses into the app: the same code and words, no CLI fix.
import { describe, expect, it } from 'vitest'
import { FactoryError } from '../../../shared/errors'
import { unwrapForApp } from './unwrapForApp'

const refusalOf = (envelope: unknown): unknown => {
  try {
    unwrapForApp(envelope)
  } catch (error) {
    return error
  }
  return null
}

describe('an engine answer in the app', () => {
  it('keeps a refusal’s code and words, without the command a terminal user would type', () => {
    // As electron/core/agents.ts words it, for every host.
    const envelope = {
      ok: false,
      error: { code: 'AgentNotFound', message: 'no agent named "bob" (see: factory agent list)' },
    }
    const refusal = refusalOf(envelope)
    expect(refusal).toBeInstanceOf(FactoryError)
    expect(refusal).toMatchObject({ code: 'AgentNotFound', message: 'no agent named "bob"' })
  })

  it('passes a result through as it is, and an answer that is no envelope as the engine would', () => {
    expect(unwrapForApp({ ok: true, result: [1, 2] })).toEqual([1, 2])
    expect(refusalOf('<html>')).toMatchObject({ code: 'Internal' })
  })
})
