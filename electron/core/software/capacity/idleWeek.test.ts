// The definitions of idle and blocked, without a ledger: moment by moment, up to 100% of a window
// is used, the rest is idle while the lane could work and blocked while it could not.
import { describe, expect, it } from 'vitest'
import { capacityShares } from './idleWeek'
import { blockedShare, capHolds, holdsFromEvents } from './laneHolds'

const HOUR = 3_600_000
const event = (type: string, ts: number, payload: Record<string, unknown> = {}) => ({
  type,
  ts,
  payload: JSON.stringify(payload),
})

describe('used, idle and blocked', () => {
  it('splits every moment into used (at most all of it), idle and blocked, weighted by time', () => {
    // An hour at 17%, an hour at 17% held, an hour over the limit.
    const shares = capacityShares([0.17, 0.17, 1.4], [0, 1, 0], [HOUR, HOUR, HOUR])
    expect(shares.usedShare).toBeCloseTo((0.17 + 0.17 + 1) / 3, 10)
    expect(shares.idleShare).toBeCloseTo(0.83 / 3, 10)
    expect(shares.blockedShare).toBeCloseTo(0.83 / 3, 10)
    expect(shares.usedShare + shares.idleShare + shares.blockedShare).toBeCloseTo(1, 10)
  })

  it('reads a lane whose meter says 17% as 83% idle, not 0%', () => {
    expect(capacityShares([0.17], [0], [HOUR]).idleShare).toBeCloseTo(0.83, 10)
  })

  it('never calls a paused lane idle: its unused capacity is blocked', () => {
    const paused = capacityShares([0, 0], [1, 1], [HOUR, HOUR])
    expect(paused).toEqual({ usedShare: 0, idleShare: 0, blockedShare: 1 })
  })

  it('splits a moment held for part of it', () => {
    const half = capacityShares([0.2], [0.5], [HOUR])
    expect(half.idleShare).toBeCloseTo(0.4, 10)
    expect(half.blockedShare).toBeCloseTo(0.4, 10)
  })

  it('has nothing to say about no time at all', () => {
    expect(capacityShares([], [], [])).toEqual({ usedShare: 0, idleShare: 0, blockedShare: 0 })
  })
})

describe('a lane’s holds, from its events', () => {
  const now = 100 * HOUR

  it('ends a hold at its time, at a resume or at the next hold, and keeps one still on', () => {
    const holds = holdsFromEvents(
      [
        event('agent.added', 0),
        event('agent.paused', 10 * HOUR, { until: 12 * HOUR, reason: 'quota_exhausted: limit' }),
        event('agent.paused', 20 * HOUR, { until: null, reason: 'holiday' }),
        event('agent.resumed', 30 * HOUR),
        event('agent.paused', 90 * HOUR, { until: 110 * HOUR, reason: 'rate_limited: 429' }),
      ],
      now,
    )
    expect(holds).toEqual([
      {
        kind: 'paused',
        from: 10 * HOUR,
        to: 12 * HOUR,
        reason: 'quota_exhausted: limit',
        current: false,
      },
      { kind: 'paused', from: 20 * HOUR, to: 30 * HOUR, reason: 'holiday', current: false },
      { kind: 'paused', from: 90 * HOUR, to: now, reason: 'rate_limited: 429', current: true },
    ])
  })

  it('counts the time a lane was disabled, and starts afresh when it is added again', () => {
    const holds = holdsFromEvents(
      [
        event('agent.added', 0, { enabled: false }),
        event('agent.edited', 5 * HOUR, { changed: { enabled: true } }),
        event('agent.edited', 50 * HOUR, { changed: { enabled: false } }),
        event('agent.removed', 60 * HOUR),
        event('agent.added', 70 * HOUR),
      ],
      now,
    )
    expect(holds.map((h) => [h.kind, h.from, h.to, h.current])).toEqual([
      ['disabled', 0, 5 * HOUR, false],
      ['disabled', 50 * HOUR, 60 * HOUR, false],
    ])
  })

  it('measures the share of a span held, overlapping holds counted once', () => {
    const holds = holdsFromEvents(
      [
        event('agent.paused', 2 * HOUR, { until: 6 * HOUR, reason: 'x' }),
        event('agent.edited', 4 * HOUR, { changed: { enabled: false } }),
        event('agent.edited', 8 * HOUR, { changed: { enabled: true } }),
      ],
      now,
    )
    expect(blockedShare(holds, 0, 10 * HOUR)).toBeCloseTo(0.6, 10)
    expect(blockedShare(holds, 3 * HOUR, 4 * HOUR)).toBe(1)
    expect(blockedShare(holds, 9 * HOUR, 10 * HOUR)).toBe(0)
  })
})

describe('a lane with every run slot taken', () => {
  const now = 100 * HOUR
  const spans = (...pairs: [number, number][]) => pairs.map(([from, to]) => ({ from, to }))

  it('is blocked while as many runs as its cap are at work, and free in between', () => {
    const runs = spans([1 * HOUR, 3 * HOUR], [2 * HOUR, 5 * HOUR], [6 * HOUR, 7 * HOUR])
    expect(capHolds(runs, 2, now).map(({ from, to }) => [from / HOUR, to / HOUR])).toEqual([[2, 3]])
    expect(capHolds(runs, 1, now).map(({ from, to }) => [from / HOUR, to / HOUR])).toEqual([
      [1, 5],
      [6, 7],
    ])
  })

  it('counts back-to-back runs once, and a run still at work until now', () => {
    const holds = capHolds(
      spans([1 * HOUR, 2 * HOUR], [2 * HOUR, 3 * HOUR], [99 * HOUR, now]),
      1,
      now,
    )
    expect(holds.map(({ from, to, current }) => [from / HOUR, to / HOUR, current])).toEqual([
      [1, 2, false],
      [2, 3, false],
      [99, 100, true],
    ])
    expect(blockedShare(holds, 0, 4 * HOUR)).toBe(0.5)
  })

  it('has no hold without runs, or with fewer runs than its cap', () => {
    expect(capHolds([], 1, now)).toEqual([])
    expect(capHolds(spans([1 * HOUR, 2 * HOUR]), 2, now)).toEqual([])
  })
})
