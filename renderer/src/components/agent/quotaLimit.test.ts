import { describe, expect, it } from 'vitest'
import {
  formatQuotaAmount,
  formatQuotaFigure,
  formatUsedOf,
  parseQuota,
  QUOTA_UNITS,
  type QuotaUnit,
} from '../../../../shared/quotas'
import { parseLimit } from './quotaLimit'

/** The limit as the engine stores it, from what a person typed into a row of `unit`. */
function stored(unit: QuotaUnit, text: string): number {
  const reading = parseLimit(unit, text)
  if (!reading.ok) throw new Error(reading.problem)
  const window = parseQuota(`5h:${unit}:${reading.value}`)
  if (typeof window === 'string') throw new Error(window)
  return window.limit
}

function problem(unit: QuotaUnit, text: string): string {
  const reading = parseLimit(unit, text)
  return reading.ok ? `read as ${reading.value}` : reading.problem
}

// Limits as subscriptions state them, in each unit's stored integers (dollars as micros).
const LIMITS: Record<QuotaUnit, number[]> = {
  tokens: [1, 950, 1_000, 1_500, 45_000, 200_000, 2_000_000, 2_500_000, 88_000_000],
  usd: [4_200, 500_000, 1_000_000, 12_500_000, 200_000_000, 1_250_000_000],
  messages: [1, 45, 200, 900, 1_500, 2_000, 50_000],
  runs: [1, 3, 10, 99, 150, 1_000],
}

describe('a quota limit as typed', () => {
  it('reads what people write', () => {
    expect(stored('tokens', '2M')).toBe(2_000_000)
    expect(stored('tokens', '1.5k')).toBe(1_500)
    expect(stored('tokens', '2,000,000')).toBe(2_000_000)
    expect(stored('tokens', '2 000 000 tokens')).toBe(2_000_000)
    expect(stored('tokens', '2m tokens')).toBe(2_000_000)
    expect(stored('usd', '$200')).toBe(200_000_000)
    expect(stored('usd', '12.5')).toBe(12_500_000)
    expect(stored('usd', '$1.5k')).toBe(1_500_000_000)
    expect(stored('usd', '200 US dollars')).toBe(200_000_000)
    expect(stored('messages', '200 messages')).toBe(200)
    expect(stored('runs', '1 run')).toBe(1)
  })

  it('takes back every limit the app shows, in every unit, as the value shown', () => {
    for (const unit of QUOTA_UNITS) {
      for (const limit of LIMITS[unit]) {
        // As a lane header or the week view writes it: "2M tokens", "$200", "1 of 10 runs".
        const shown = [
          formatQuotaAmount(unit, limit),
          formatQuotaFigure(unit, limit),
          formatUsedOf(unit, 1, limit).replace(/^.* of /, ''),
        ]
        for (const text of shown)
          expect({ unit, text, limit: stored(unit, text) }).toEqual({ unit, text, limit })
      }
    }
  })

  it('reads a rounded figure as the figure shown, which shows the same again', () => {
    for (const unit of QUOTA_UNITS) {
      for (const limit of [1_234_567, 45_678, 1_234, 123_456_789]) {
        const shown = formatQuotaAmount(unit, limit)
        expect(formatQuotaAmount(unit, stored(unit, shown))).toBe(shown)
      }
    }
  })

  it('says what is wrong in words', () => {
    expect(problem('tokens', '')).toBe('a limit is needed, like 2M or $200')
    expect(problem('tokens', 'lots')).toBe('use a number like 2M, 1.5k or 200 tokens, not "lots"')
    expect(problem('tokens', '$200')).toBe('"$200" is US dollars, but this window counts tokens')
    expect(problem('usd', '200 messages')).toBe(
      '"200 messages" is messages, but this window counts US dollars',
    )
    expect(problem('tokens', '1.5')).toBe('a whole number of tokens, not "1.5"')
    expect(problem('usd', '$0.0000001')).toBe('at most six decimals of a dollar, not "$0.0000001"')
    expect(problem('runs', '0')).toBe('a limit is more than 0')
    expect(problem('runs', '10 apples')).toBe(
      '"apples" is not a unit; use a number like 2M, 1.5k or 200 runs',
    )
  })
})
