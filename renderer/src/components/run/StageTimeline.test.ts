import { describe, expect, it } from 'vitest'
import { stageSteps } from './StageTimeline'

describe('stageSteps', () => {
  it('keeps one step per stage in first-seen order with its latest status', () => {
    const steps = stageSteps([
      { stage: 'scout', status: 'started', message: 'looking', at: 1 },
      { stage: 'scout', status: 'done', at: 2 },
      { stage: 'build', status: 'started', at: 3 },
      { stage: 'scout', status: 'revisited', at: 4 },
    ])
    expect(steps).toEqual([
      { stage: 'scout', status: 'revisited', message: 'looking', at: 1 },
      { stage: 'build', status: 'started', message: undefined, at: 3 },
    ])
  })
})
