import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { probeVerdict, retryDelay } from './reconnect'

describe('trying a dropped push channel again', () => {
  it('waits a second, then doubles, up to fifteen', () => {
    expect([0, 1, 2, 3, 4, 5, 20].map(retryDelay)).toEqual([
      1_000, 2_000, 4_000, 8_000, 15_000, 15_000, 15_000,
    ])
  })

  it('always waits between one and fifteen seconds, whatever it is told', () => {
    fc.assert(
      fc.property(fc.double(), (failed) => {
        const wait = retryDelay(failed)
        expect(wait).toBeGreaterThanOrEqual(1_000)
        expect(wait).toBeLessThanOrEqual(15_000)
      }),
    )
  })

  it('reads the session probe: in, refused for its key or address, or not there yet', () => {
    expect(probeVerdict(200)).toBe('in')
    expect(probeVerdict(401)).toBe('key-changed')
    expect(probeVerdict(403)).toBe('wrong-address')
    expect(probeVerdict(null)).toBe('down')
    expect(probeVerdict(502)).toBe('down')
  })
})
