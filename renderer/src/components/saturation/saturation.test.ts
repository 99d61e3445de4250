import { describe, expect, it } from 'vitest'
import type { IdleQuota } from '../../../../shared/saturation'
import { describeUsage, formatShare, idleOfCapacity, idlePerWindow } from './idleWording'
import { saturationQuery } from './saturationQuery'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const NOW = Date.UTC(2026, 10, 25, 12, 30)

describe('saturation query', () => {
  it('asks for hours over the whole range, and 5-minute buckets when zoomed into 2 days or less', () => {
    expect(saturationQuery(7, null, NOW)).toEqual({ days: 7, bucket: 'hour' })
    expect(saturationQuery(30, { from: NOW - 10 * DAY, to: NOW - 5 * DAY }, NOW)).toEqual({
      days: 30,
      bucket: 'hour',
    })
    // Reaches back to the zoom's start: 12 days and a bit → 13 days of 5-minute buckets.
    expect(saturationQuery(30, { from: NOW - 12 * DAY - HOUR, to: NOW - 11 * DAY }, NOW)).toEqual({
      days: 13,
      bucket: '5min',
    })
    expect(saturationQuery(7, { from: NOW - HOUR, to: NOW }, NOW)).toEqual({
      days: 1,
      bucket: '5min',
    })
  })

  it('fits young data: a first day is drawn in 5-minute buckets, not a few hourly dots', () => {
    expect(saturationQuery(7, null, NOW, NOW - 3 * HOUR)).toEqual({ days: 1, bucket: '5min' })
    expect(saturationQuery(30, null, NOW, NOW - 36 * HOUR)).toEqual({ days: 2, bucket: '5min' })
    expect(saturationQuery(7, null, NOW, NOW - 3 * DAY)).toEqual({ days: 7, bucket: 'hour' })
    expect(saturationQuery(7, null, NOW, null)).toEqual({ days: 7, bucket: 'hour' })
  })
})

describe('idle wording', () => {
  const tokens: IdleQuota = {
    window: '5h',
    durationMs: 5 * HOUR,
    unit: 'tokens',
    limit: 2_000_000,
    capacity: 67_200_000,
    used: 16_800_000,
    idle: 50_400_000,
    idleShare: 0.75,
    blockedShare: 0,
    usedShare: 0.25,
  }

  it('says what an average window left unused, against the limit, in the window’s own unit', () => {
    expect(idlePerWindow(tokens)).toBe('1.5M of 2M tokens per 5h')
    expect(idleOfCapacity(tokens)).toBe('50.4M of 67.2M tokens')
    expect(formatShare(tokens.idleShare)).toBe('75%')
    expect(formatShare(0.004)).toBe('<1%')
    expect(formatShare(0)).toBe('0%')
    const usd = { ...tokens, window: '7d', unit: 'usd' as const, limit: 200_000_000 }
    expect(idlePerWindow({ ...usd, capacity: 200_000_000, idle: 40_000_000 })).toBe(
      '$40 of $200 per 7d',
    )
    const runs = { ...tokens, unit: 'runs' as const, limit: 10, capacity: 336, idle: 218 }
    expect(idlePerWindow(runs)).toBe('6.5 of 10 runs per 5h')
  })

  it('lists usage without windows, leaving out zeros', () => {
    expect(describeUsage({ tokens: 3_200_000, usd: 12_400_000, messages: 40, runs: 1 })).toBe(
      '3.2M tokens · $12.4 · 40 messages · 1 run',
    )
    expect(describeUsage({ tokens: 0, usd: 0, messages: 0, runs: 0 })).toBe('nothing')
  })
})
