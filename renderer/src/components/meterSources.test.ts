// The lane meters' source chips: on every meter when the lanes count differently, on none when
// they all count the same way.
import { describe, expect, it } from 'vitest'
import type { AgentUsage, WindowUsage } from '../../../shared/quotas'
import { makeUsage } from '../../../shared/testing'
import { sourceChip, sourcesDiffer } from './meterSources'

const HOUR = 3_600_000
const window = (fields: Partial<WindowUsage> = {}): WindowUsage => ({
  window: '5h',
  durationMs: 5 * HOUR,
  unit: 'tokens',
  limit: 1000,
  used: 100,
  utilization: 0.1,
  freesAt: null,
  ...fields,
})
const report = { window: 'five_hour', durationMs: 5 * HOUR, resetsAt: null, fetchedAt: 0 }
const runsOnly = (agent: string, fields: Partial<AgentUsage> = {}) =>
  makeUsage(agent, { windows: [window()], ...fields })

describe('the lane meters’ source chips', () => {
  it('show on none when every lane counts its runs only, however its hold stands', () => {
    const lanes = [
      runsOnly('bob'),
      runsOnly('alice', { pausedUntil: Date.now() + HOUR, pauseReason: 'quota_exhausted' }),
      runsOnly('gordon', { enabled: false }),
    ]
    expect(sourcesDiffer(lanes)).toBe(false)
    expect(sourceChip('runs', sourcesDiffer(lanes))).toBeNull()
  })

  it('show on every meter, runs only included, once one lane counts another way', () => {
    const lanes = [
      runsOnly('bob', { windows: [window({ fromLogs: 50 })] }),
      runsOnly('alice'),
      runsOnly('carol', { windows: [window({ reported: { ...report, utilization: 0.64 } })] }),
    ]
    expect(sourcesDiffer(lanes)).toBe(true)
    expect(sourceChip('runs-and-logs', true)).toBe('runs + logs')
    expect(sourceChip('runs', true)).toBe('runs only')
    expect(sourceChip('usage-report', true)).toBe('reported')
  })

  it('count a plan window only the report shows as a source of its own', () => {
    const withPlan = runsOnly('carol', {
      reports: [{ ...report, window: 'seven_day', utilization: 0.3 }],
    })
    expect(sourcesDiffer([runsOnly('bob'), withPlan])).toBe(true)
    // Alone and all from the report, they agree again.
    expect(sourcesDiffer([makeUsage('dan', { reports: [{ ...report, utilization: 0.3 }] })])).toBe(
      false,
    )
  })
})
