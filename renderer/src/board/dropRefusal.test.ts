import { describe, expect, it } from 'vitest'
import type { AgentUsage } from '../../../shared/quotas'
import { makeUsage } from '../../../shared/testing'
import { refusalAt } from './dropRefusal'

const usage = (agent: string, fields: Partial<AgentUsage> = {}): AgentUsage =>
  makeUsage(agent, { running: 1, ...fields })

const agents = [
  { name: 'gordon', queue: null },
  { name: 'alice', queue: '/shared/alice-queue' },
]
const byAgent = {
  gordon: usage('gordon'),
  alice: usage('alice'),
  bob: usage('bob', { running: 0, maxConcurrent: 2 }),
}

describe('whether a cell refuses a dropped card', () => {
  it('refuses a local lane at its limit, in the lane header’s words', () => {
    expect(refusalAt({ stage: 'software', agent: 'gordon' }, agents, byAgent)).toBe(
      'At its limit · 1/1 running',
    )
  })

  it('lets a person send more to a remote lane’s queue than it runs at once', () => {
    expect(refusalAt({ stage: 'software', agent: 'alice' }, agents, byAgent)).toBeNull()
  })

  it('still refuses a remote lane that is disabled', () => {
    const disabled = { ...byAgent, alice: usage('alice', { enabled: false }) }
    expect(refusalAt({ stage: 'software', agent: 'alice' }, agents, disabled)).toBe('Disabled')
  })

  it('never refuses outside a lane’s Software cell, nor a lane with room or no figures yet', () => {
    expect(refusalAt({ stage: 'idea', agent: 'gordon' }, agents, byAgent)).toBeNull()
    expect(refusalAt({ stage: 'software', agent: null }, agents, byAgent)).toBeNull()
    expect(refusalAt({ stage: 'software', agent: 'bob' }, agents, byAgent)).toBeNull()
    expect(refusalAt({ stage: 'software', agent: 'zoe' }, agents, byAgent)).toBeNull()
  })
})
