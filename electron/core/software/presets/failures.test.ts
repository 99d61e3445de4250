import { describe, expect, it } from 'vitest'
import {
  classifyFailure,
  failureFromStatus,
  nextOccurrence,
  parseResetAt,
  usdToMicros,
} from './failures'
import { localTime } from './fixtures/harness'

describe('classifyFailure', () => {
  const now = localTime(2026, 1, 15, 7)

  it.each([
    [
      'API Error: 429 {"type":"error","error":{"type":"rate_limit_error","message":"Please try again later."}}',
      'rate_limited',
    ],
    ['exceeded retry limit, last status: 429 Too Many Requests', 'rate_limited'],
    ["anthropic.RateLimitError: Error code: 429 - {'type': 'error'}", 'rate_limited'],
    ['Rate limit reached for gpt-4o on tokens per min (TPM)', 'rate_limited'],
    ['Claude AI usage limit reached|1760000400', 'quota_exhausted'],
    ["You've hit your limit · resets 4:50am (Europe/Rome)", 'quota_exhausted'],
    ['5-hour limit reached ∙ resets 3pm', 'quota_exhausted'],
    ['Your credit balance is too low to access the Anthropic API.', 'quota_exhausted'],
    ['Invalid API key · Please run /login', 'auth_expired'],
    [
      'OAuth token has expired. Please obtain a new token or refresh your existing token.',
      'auth_expired',
    ],
    ['API Error: 401 {"type":"error","error":{"type":"authentication_error"}}', 'auth_expired'],
    ['unexpected status 401 Unauthorized: token could not be refreshed', 'auth_expired'],
    [
      'API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
      'overloaded',
    ],
    ['unexpected status 503 Service Unavailable', 'overloaded'],
    ['Overloaded', 'overloaded'],
  ])('%s → %s', (text, kind) => {
    expect(classifyFailure(text, now)?.class).toBe(kind)
  })

  it.each([
    'Error at line 401 of main.ts',
    'status 200 OK',
    'Traceback (most recent call last):',
    '',
    'wrote 429 files',
  ])('leaves ordinary text alone: %s', (text) => {
    expect(classifyFailure(text, now)).toBeUndefined()
  })

  it('reads the reset time and keeps one readable line as the message', () => {
    const failure = classifyFailure('\n  Claude AI usage limit reached|1760000400\nmore', now)
    expect(failure).toEqual({
      class: 'quota_exhausted',
      message: 'Claude AI usage limit reached|1760000400',
      resetAt: 1_760_000_400_000,
    })
    const rate = classifyFailure('Rate limit reached. Please try again in 1.5s.', now)
    expect(rate?.resetAt).toBe(now + 1500)
  })

  it('maps reported HTTP statuses', () => {
    expect(failureFromStatus(429, 'x')?.class).toBe('rate_limited')
    expect(failureFromStatus(401, 'x')?.class).toBe('auth_expired')
    expect(failureFromStatus(529, 'x')?.class).toBe('overloaded')
    expect(failureFromStatus('429', 'x')).toBeUndefined()
    expect(failureFromStatus(500, 'x')).toBeUndefined()
  })
})

describe('parseResetAt', () => {
  it('"resets 6am" when it is 7am is tomorrow 6am (local)', () => {
    expect(parseResetAt('limit reached · resets 6am', localTime(2026, 1, 15, 7))).toBe(
      localTime(2026, 1, 16, 6),
    )
  })

  it('"resets 6am" when it is 5am is today', () => {
    expect(parseResetAt('resets 6am', localTime(2026, 1, 15, 5))).toBe(localTime(2026, 1, 15, 6))
  })

  it('reads 12pm as noon and 12am as midnight, and the end of a month', () => {
    expect(parseResetAt('resets 12pm', localTime(2026, 1, 15, 7))).toBe(localTime(2026, 1, 15, 12))
    expect(parseResetAt('resets 12am', localTime(2026, 1, 31, 7))).toBe(localTime(2026, 2, 1, 0))
    expect(parseResetAt('resets 6:30 PM', localTime(2026, 1, 15, 7))).toBe(
      localTime(2026, 1, 15, 18, 30),
    )
  })

  it('an exact match of now is the next day, never now', () => {
    expect(nextOccurrence(localTime(2026, 1, 15, 6), 6, 0)).toBe(localTime(2026, 1, 16, 6))
  })

  it('honours a named time zone, winter and summer, across a DST switch', () => {
    const jan = Date.UTC(2026, 0, 15, 12) // 13:00 in Paris (UTC+1)
    expect(parseResetAt('resets 6:30am (Europe/Paris)', jan)).toBe(Date.UTC(2026, 0, 16, 5, 30))
    const jul = Date.UTC(2026, 6, 15, 3) // 05:00 in Paris (UTC+2)
    expect(parseResetAt('resets 6:30am (Europe/Paris)', jul)).toBe(Date.UTC(2026, 6, 15, 4, 30))
    const dst = Date.UTC(2026, 2, 28, 12) // Paris moves to UTC+2 on 29 March 2026
    expect(parseResetAt('resets 6:30am (Europe/Paris)', dst)).toBe(Date.UTC(2026, 2, 29, 4, 30))
    const ny = Date.UTC(2026, 0, 15, 12)
    expect(parseResetAt('Your limit will reset at 5pm (America/New_York).', ny)).toBe(
      Date.UTC(2026, 0, 15, 22),
    )
  })

  it('reads a date with the time, and UTC suffixes', () => {
    const now = Date.UTC(2026, 0, 28)
    expect(
      parseResetAt("You've hit your limit · resets Jan 30, 11:30am (Asia/Calcutta)", now),
    ).toBe(Date.UTC(2026, 0, 30, 6, 0))
    expect(parseResetAt('resets at 15:00 UTC', Date.UTC(2026, 0, 28, 16))).toBe(
      Date.UTC(2026, 0, 29, 15),
    )
    expect(parseResetAt('You will regain access on 2026-04-01 at 00:00 UTC.', now)).toBe(
      Date.UTC(2026, 3, 1),
    )
    // A month-day already past this year is next year's.
    expect(parseResetAt('resets Jan 2, 9am (UTC)', now)).toBe(Date.UTC(2027, 0, 2, 9))
  })

  it('reads epochs and durations', () => {
    const now = Date.UTC(2026, 0, 1)
    expect(parseResetAt('Claude AI usage limit reached|1749924000', now)).toBe(1_749_924_000_000)
    expect(parseResetAt('try again in 3 days 6 hours 57 minutes.', now)).toBe(
      now + ((3 * 24 + 6) * 60 + 57) * 60_000,
    )
    expect(parseResetAt('Please try again in 20s', now)).toBe(now + 20_000)
  })

  it('falls back to local time for an unknown zone, and refuses non-times', () => {
    const now = localTime(2026, 1, 15, 7)
    expect(parseResetAt('resets 6am (Mars/Olympus)', now)).toBe(localTime(2026, 1, 16, 6))
    expect(parseResetAt('resets 6am (local time)', now)).toBe(localTime(2026, 1, 16, 6))
    expect(parseResetAt('resets 13pm', now)).toBeUndefined()
    expect(parseResetAt('resets 6', now)).toBeUndefined()
    expect(parseResetAt('resets 25:00', now)).toBeUndefined()
    expect(parseResetAt('limit reached', now)).toBeUndefined()
  })
})

describe('usdToMicros', () => {
  it.each<[number | string, number]>([
    [0.1 + 0.2, 300_000],
    [0.3, 300_000],
    [1e-7, 0],
    [5e-7, 1],
    [4.999e-7, 0],
    [0.000001, 1],
    [12.3456789, 12_345_679],
    [0.0123456, 12_346],
    [1.0000005, 1_000_001],
    [2.675, 2_675_000],
    [123456.789012, 123_456_789_012],
    [0, 0],
    [-0.0000015, -2],
    ['0.25', 250_000],
    ['1.5e-6', 2],
    [1e21, Number.MAX_SAFE_INTEGER],
    [Number.NaN, 0],
    [Number.POSITIVE_INFINITY, 0],
    ['abc', 0],
    ['', 0],
    ['.', 0],
  ])('%s USD → %s micro-dollars', (usd, micros) => {
    expect(usdToMicros(usd)).toBe(micros)
  })

  it('never loses sub-cent amounts that add up', () => {
    const parts = Array.from({ length: 1000 }, () => usdToMicros(0.000123))
    expect(parts.reduce((a, b) => a + b, 0)).toBe(123_000)
  })
})
