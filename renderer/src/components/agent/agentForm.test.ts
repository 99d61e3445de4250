import { describe, expect, it } from 'vitest'
import { checkInput } from '../../../../shared/api'
import { makeAgent } from '../../../../shared/testing'
import { addInput, editInput, formFor, limitProblems, problemInWords } from './agentForm'

describe('the agent form', () => {
  it('shows an agent as editable text and reads it back unchanged', () => {
    const agent = makeAgent('bob', {
      runner: 'command',
      command: ['node', '/opt/my agent/run.mjs', '{specFile}'],
      timeoutMs: 5_400_000,
      maxConcurrent: 2,
      quotas: [
        { window: '5h', durationMs: 18_000_000, unit: 'tokens', limit: 2_000_000 },
        { window: '7d', durationMs: 604_800_000, unit: 'usd', limit: 12_500_000 },
      ],
    })
    const form = formFor(agent)
    expect(form).toMatchObject({
      command: `node '/opt/my agent/run.mjs' {specFile}`,
      timeout: '1h30m',
      maxConcurrent: '2',
      quotas: [
        { window: '5h', unit: 'tokens', limit: '2000000' },
        { window: '7d', unit: 'usd', limit: '12.5' },
      ],
    })
    const checked = checkInput('agent/edit', editInput(form))
    if (!checked.ok) throw new Error(checked.problem)
    expect(checked.input).toMatchObject({
      command: agent.command,
      timeoutMs: 5_400_000,
      quotas: agent.quotas,
    })
  })

  it('says what is wrong with a field in words', () => {
    const form = { ...formFor(null), name: 'alice', timeout: 'soon' }
    expect(() => addInput(form)).toThrow(
      'Timeout: use a duration like 90s, 30m, 2h or 1h30m, not "soon"',
    )
    const badQuota = {
      ...formFor(null),
      name: 'alice',
      quotas: [{ window: '5x', unit: 'tokens' as const, limit: '10' }],
    }
    const checked = checkInput('agent/add', addInput(badQuota))
    expect(checked.ok ? '' : checked.problem).toMatch(/the window is a duration like 5h or 7d/)
  })

  it('reads limits the way people write them', () => {
    const form = {
      ...formFor(null),
      name: 'alice',
      quotas: [
        { window: '5h', unit: 'tokens' as const, limit: '2,000,000' },
        { window: '7d', unit: 'usd' as const, limit: '$200' },
        { window: '1h', unit: 'tokens' as const, limit: '1.5k' },
        { window: '1d', unit: 'messages' as const, limit: '200 messages' },
        { window: '2d', unit: 'tokens' as const, limit: '2M' },
      ],
    }
    expect(addInput(form).quotas).toEqual([
      '5h:tokens:2000000',
      '7d:usd:200',
      '1h:tokens:1500',
      '1d:messages:200',
      '2d:tokens:2000000',
    ])
    expect(limitProblems(form.quotas)).toEqual([null, null, null, null, null])
  })

  it('says which window’s limit is wrong, for the row that has it', () => {
    const quotas = [
      { window: '5h', unit: 'tokens' as const, limit: '2M' },
      { window: '7d', unit: 'tokens' as const, limit: '$200' },
    ]
    expect(limitProblems(quotas)).toEqual([
      null,
      '"$200" is US dollars, but this window counts tokens',
    ])
    expect(() => addInput({ ...formFor(null), name: 'alice', quotas })).toThrow(
      'Window 2 limit: "$200" is US dollars, but this window counts tokens',
    )
  })

  it('names a problem by the labels in the dialog, not the engine’s field names', () => {
    expect(
      problemInWords(
        'agent/add: maxConcurrent: at least 1 run at once; quotas.1: "7x:usd:200": the window is a duration like 5h or 7d',
      ),
    ).toBe(
      'Runs at once: at least 1 run at once; Window 2: "7x:usd:200": the window is a duration like 5h or 7d',
    )
    expect(problemInWords('an agent named "bob" already exists')).toBe(
      'an agent named "bob" already exists',
    )
  })
})
