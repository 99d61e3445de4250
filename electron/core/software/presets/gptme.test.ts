import { describe, expect, it } from 'vitest'
import { invocationContext, SPEC_TITLE, usePresetRuns } from './fixtures/harness'
import { gptmePreset } from './gptme'

const run = usePresetRuns()

describe('gptme invocation', () => {
  it('non-interactive, a findable conversation name, the prompt after --', () => {
    const base = invocationContext({ bin: 'gptme', prompt: '-p x' })
    expect(gptmePreset.invocation({ ...base, runId: 'run_01' }).args).toEqual([
      '--non-interactive',
      '--name',
      'factory-run_01',
      '--',
      '-p x',
    ])
    // A run id gptme would refuse as a name is simply not used as one.
    expect(gptmePreset.invocation({ ...base, runId: '../etc' }).args).toEqual([
      '--non-interactive',
      '--',
      '-p x',
    ])
  })
})

describe('gptme parser on the fake CLI', () => {
  it('ship: assistant text, tool blocks as calls, system output as results', async () => {
    const fed = await run(gptmePreset)
    expect(fed.finish).toBeUndefined()
    const [first, ...rest] = fed.entries
    expect(first).toMatchObject({ kind: 'raw', stream: 'stdout' }) // the "User:" echo
    expect(rest).toEqual([
      { kind: 'text', text: expect.stringContaining(SPEC_TITLE) },
      { kind: 'text', text: 'Let me look at the workspace.' },
      { kind: 'tool_call', name: 'shell', input: 'ls' },
      { kind: 'tool_result', output: 'Ran command: `ls`' },
      { kind: 'tool_result', output: 'spec.md' },
      { kind: 'text', text: 'Writing hello.txt.' },
      {
        kind: 'tool_call',
        name: 'save',
        input: `hello.txt\nhello from a fake agent for "${SPEC_TITLE}"`,
      },
      { kind: 'tool_result', output: 'Saved to hello.txt' },
      { kind: 'text', text: `Shipped "${SPEC_TITLE}".` },
    ])
    expect(fed.usage).toMatchObject({ turns: 3, costMicros: 0 })
  })

  it.each([
    ['rate_limit', 'rate_limited'],
    ['quota', 'quota_exhausted'],
    ['auth', 'auth_expired'],
    ['overloaded', 'overloaded'],
  ])('%s → %s from the SDK error on stderr', async (scenario, kind) => {
    const fed = await run(gptmePreset, { scenario })
    expect(fed.exit.code).toBe(1)
    expect(fed.finish?.class).toBe(kind)
  })

  it('text is its format: bad_json with exit 0 is fine; crash and kill are crashed', async () => {
    expect((await run(gptmePreset, { scenario: 'bad_json' })).finish).toBeUndefined()
    expect((await run(gptmePreset, { scenario: 'crash' })).finish?.message).toBe(
      'exited with code 3',
    )
    const killed = await run(gptmePreset, { scenario: 'hang', killOnFirstLine: 'SIGTERM' })
    expect(killed.finish).toEqual({ class: 'crashed', message: 'killed by SIGTERM' })
  })
})

describe('gptme parser rules', () => {
  it('marks ❌ system output as an error, keeps prose fences as text, strips colour', () => {
    const parser = gptmePreset.parser()
    const lines = [
      '\x1b[1;32mAssistant:\x1b[0m Here is an example:',
      '```js',
      'const x = 1',
      '```',
      'System: ❌ Error during execution: boom',
      '```stderr',
      'Traceback',
      '```',
    ]
    const entries = lines.flatMap((l) => parser.stdout(l).entries)
    expect(entries).toEqual([
      { kind: 'text', text: 'Here is an example:' },
      { kind: 'text', text: '```js\nconst x = 1\n```' },
      { kind: 'tool_result', output: 'Error during execution: boom', isError: true },
      { kind: 'tool_result', output: 'Traceback', isError: true },
    ])
  })

  it('flushes a runaway fenced block in bounded pieces', () => {
    const parser = gptmePreset.parser()
    parser.stdout('Assistant: go')
    parser.stdout('```shell')
    let flushed = 0
    for (let i = 0; i < 5000; i += 1) flushed += parser.stdout(`echo ${i}`).entries.length
    expect(flushed).toBe(2)
  })
})
