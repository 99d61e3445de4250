import { describe, expect, it } from 'vitest'
import { RUNNER_PRESETS, type RunnerPreset } from '../../../../shared/domain'
import { PRESETS, presetFor } from './index'

describe('presets', () => {
  it('has one preset per runner, each under its own name', () => {
    expect(Object.keys(PRESETS).sort()).toEqual([...RUNNER_PRESETS].sort())
    for (const name of RUNNER_PRESETS) expect(presetFor(name).name).toBe(name)
    expect(presetFor('claude').defaultBin).toBe('claude')
  })

  it('refuses names that are not presets', () => {
    expect(() => presetFor('__proto__' as RunnerPreset)).toThrow(/unknown runner preset/)
    expect(() => presetFor('toString' as RunnerPreset)).toThrow(/unknown runner preset/)
  })
})
