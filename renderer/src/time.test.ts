import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { formatClockTime, formatDuration, formatFullTime, formatTime, timeAxisLabels } from './time'

// Node re-reads TZ whenever it is set, so each test can pick the zone the user lives in.
const originalZone = process.env.TZ
afterAll(() => {
  process.env.TZ = originalZone
})

/** A local wall-clock moment in the current zone. */
const local = (y: number, m: number, d: number, h = 0, min = 0, s = 0) =>
  new Date(y, m - 1, d, h, min, s).getTime()

describe('times of day, against now', () => {
  beforeEach(() => {
    process.env.TZ = 'Europe/Berlin'
  })

  it('says only the clock for a time today, on a 24-hour clock', () => {
    const now = local(2026, 12, 3, 14, 0)
    expect(formatTime(local(2026, 12, 3, 14, 5), now)).toBe('14:05')
    expect(formatTime(local(2026, 12, 3, 0, 5), now)).toBe('00:05')
    expect(formatTime(local(2026, 12, 3, 23, 59), now)).toBe('23:59')
  })

  it('says tomorrow and yesterday across midnight, even a minute away', () => {
    const late = local(2026, 12, 3, 23, 59)
    expect(formatTime(local(2026, 12, 4, 0, 1), late)).toBe('tomorrow 00:01')
    expect(formatTime(local(2026, 12, 4, 3, 51), late)).toBe('tomorrow 03:51')
    const early = local(2026, 12, 4, 0, 0)
    expect(formatTime(local(2026, 12, 3, 23, 59), early)).toBe('yesterday 23:59')
    expect(formatTime(local(2026, 12, 4, 0, 0), early)).toBe('00:00')
  })

  it('names the weekday within a week, and the date beyond it', () => {
    const thursday = local(2026, 12, 3, 12, 0)
    expect(formatTime(local(2026, 12, 5, 3, 51), thursday)).toBe('Sat 03:51')
    expect(formatTime(local(2026, 11, 27, 9, 0), thursday)).toBe('Fri 09:00')
    expect(formatTime(local(2026, 12, 10, 9, 0), thursday)).toBe('10 Dec 09:00')
    expect(formatTime(local(2026, 11, 26, 9, 0), thursday)).toBe('26 Nov 09:00')
    expect(formatTime(local(2025, 12, 3, 14, 5), thursday)).toBe('3 Dec 2025 14:05')
  })

  it('counts days by the calendar on the day the clocks change', () => {
    // 25 Oct 2026 has 25 hours in Berlin: 23:30 that day is still "today" from 00:10.
    expect(formatTime(local(2026, 10, 25, 23, 30), local(2026, 10, 25, 0, 10))).toBe('23:30')
    expect(formatTime(local(2026, 10, 26, 0, 30), local(2026, 10, 25, 0, 10))).toBe(
      'tomorrow 00:30',
    )
  })

  it('can carry seconds, and spells a full date for tooltips', () => {
    const at = local(2026, 12, 3, 14, 5, 7)
    expect(formatClockTime(at, { seconds: true })).toBe('14:05:07')
    expect(formatTime(at, at, { seconds: true })).toBe('14:05:07')
    expect(formatFullTime(at)).toBe('Thu 3 Dec 2026, 14:05')
  })
})

describe('the time zone the user lives in', () => {
  // 2026-12-03 23:30 UTC: still Thursday in New York, already Friday in Tokyo.
  const instant = Date.UTC(2026, 11, 3, 23, 30)
  const now = Date.UTC(2026, 11, 3, 20, 0)

  it('reads the same instant by the local clock and calendar', () => {
    process.env.TZ = 'America/New_York'
    expect(formatTime(instant, now)).toBe('18:30')
    process.env.TZ = 'Asia/Tokyo'
    // now is Fri 05:00 in Tokyo, the instant Fri 08:30: the same day there.
    expect(formatTime(instant, now)).toBe('08:30')
    expect(formatTime(instant, Date.UTC(2026, 11, 3, 14, 0))).toBe('tomorrow 08:30')
    process.env.TZ = 'UTC'
    expect(formatTime(instant, now)).toBe('23:30')
  })
})

describe('durations', () => {
  it('says the two largest units, to the second under an hour', () => {
    expect(formatDuration(0)).toBe('0s')
    expect(formatDuration(999)).toBe('0s')
    expect(formatDuration(45_000)).toBe('45s')
    expect(formatDuration(130_000)).toBe('2m 10s')
    expect(formatDuration(120_000)).toBe('2m')
    expect(formatDuration(3_900_000)).toBe('1h 5m')
    expect(formatDuration(3_600_000 + 59_000)).toBe('1h')
    expect(formatDuration(3 * 86_400_000 + 4 * 3_600_000 + 5 * 60_000)).toBe('3d 4h')
  })

  it('rounds down, so a ticking duration never runs ahead', () => {
    expect(formatDuration(59_999)).toBe('59s')
    expect(formatDuration(60_000)).toBe('1m')
    expect(formatDuration(-5000)).toBe('0s')
  })
})

describe('a chart’s time axis', () => {
  beforeEach(() => {
    process.env.TZ = 'Europe/Berlin'
  })

  it('says each tick’s time, and the day at the first tick of each day', () => {
    const ticks = [
      local(2026, 12, 3, 16),
      local(2026, 12, 3, 20),
      local(2026, 12, 4, 0),
      local(2026, 12, 4, 4),
    ]
    expect(timeAxisLabels(ticks)).toEqual([
      '16:00\nThu 3 Dec',
      '20:00',
      '00:00\nFri 4 Dec',
      '04:00',
    ])
  })
})
