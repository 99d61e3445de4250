import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { codexPreset } from './codex'
import { invocationContext, localTime, SPEC_TITLE, usePresetRuns } from './fixtures/harness'

const run = usePresetRuns()

describe('codex invocation', () => {
  it('exec --json with the flags non-interactive use needs, the prompt after --', () => {
    const prompt = '-x "; rm -rf ~ #'
    const invocation = codexPreset.invocation(
      invocationContext({ bin: 'codex', prompt, runId: 'r' }),
    )
    expect(invocation).toEqual({
      file: 'codex',
      args: [
        'exec',
        '--json',
        '--skip-git-repo-check',
        '--sandbox',
        'workspace-write',
        '--',
        prompt,
      ],
    })
  })
})

describe('codex parser on the fake CLI', () => {
  it('ship: items become transcript entries; turn.completed is the usage total', async () => {
    const fed = await run(codexPreset)
    expect(fed.finish).toBeUndefined()
    expect(fed.entries).toContainEqual({
      kind: 'system',
      agent: 'Codex',
      text: expect.stringMatching(/^Codex started · session \S+$/),
    })
    expect(fed.entries).toContainEqual({
      kind: 'thinking',
      text: expect.stringContaining('Reading the spec'),
    })
    expect(fed.entries).toContainEqual({
      kind: 'tool_call',
      id: 'item_1',
      name: 'command',
      input: expect.stringContaining('cat '),
    })
    expect(fed.entries).toContainEqual({
      kind: 'tool_result',
      id: 'item_1',
      output: expect.stringContaining(SPEC_TITLE),
    })
    // file_change only ever completes: its call and result come together.
    expect(fed.entries).toContainEqual({
      kind: 'tool_call',
      id: 'item_3',
      name: 'file_change',
      input: 'add hello.txt',
    })
    expect(fed.entries).toContainEqual({ kind: 'tool_result', id: 'item_3', output: 'completed' })
    expect(fed.entries).toContainEqual({
      kind: 'tool_call',
      id: 'item_4',
      name: 'docs.search',
      input: JSON.stringify({ q: SPEC_TITLE }),
    })
    expect(fed.entries).toContainEqual({ kind: 'tool_result', id: 'item_4', output: 'no results' })
    expect(fed.entries).toContainEqual({
      kind: 'system',
      agent: 'Codex',
      text: 'plan:\n[x] build it',
    })
    expect(fed.entries.at(-1)).toEqual({ kind: 'text', text: `Shipped "${SPEC_TITLE}"` })
    // One call entry per started item: started + completed does not repeat the call.
    expect(fed.entries.filter((e) => e.kind === 'tool_call' && e.id === 'item_1')).toHaveLength(1)
    expect(fed.usage).toEqual({
      inputTokens: 24763 - 24448,
      outputTokens: 122,
      cacheReadTokens: 24448,
      cacheWriteTokens: 0,
      costMicros: 0,
      turns: 1,
    })
    expect(existsSync(join(fed.outputDir, 'artifact.json'))).toBe(true)
  })

  it('rate_limit: the reconnect notice is not the failure; the 429 is', async () => {
    const fed = await run(codexPreset, { scenario: 'rate_limit' })
    expect(fed.entries).toContainEqual({
      kind: 'system',
      agent: 'Codex',
      text: expect.stringMatching(/^Reconnecting/),
    })
    expect(fed.finish?.class).toBe('rate_limited')
    expect(fed.finish?.message).toContain('429 Too Many Requests')
  })

  it('quota: "try again at 3:28 PM" is the next 3:28 PM after the pinned clock', async () => {
    const now = localTime(2026, 5, 4, 16)
    const fed = await run(codexPreset, { scenario: 'quota', now: () => now })
    expect(fed.finish?.class).toBe('quota_exhausted')
    expect(fed.finish?.resetAt).toBe(localTime(2026, 5, 5, 15, 28))
  })

  it('auth, overloaded', async () => {
    expect((await run(codexPreset, { scenario: 'auth' })).finish?.class).toBe('auth_expired')
    expect((await run(codexPreset, { scenario: 'overloaded' })).finish?.class).toBe('overloaded')
  })

  it('bad_json with exit 0 is bad_output', async () => {
    const fed = await run(codexPreset, { scenario: 'bad_json' })
    expect(fed.exit.code).toBe(0)
    expect(fed.finish).toEqual({ class: 'bad_output', message: 'Codex printed no JSON events' })
  })

  it('crash and kill are crashed', async () => {
    expect((await run(codexPreset, { scenario: 'crash' })).finish).toEqual({
      class: 'crashed',
      message: 'exited with code 3',
    })
    const killed = await run(codexPreset, { scenario: 'hang', killOnFirstLine: 'SIGKILL' })
    expect(killed.finish).toEqual({ class: 'crashed', message: 'killed by SIGKILL' })
  })

  it('slow: agent messages as they come, then the total', async () => {
    const fed = await run(codexPreset, { scenario: 'slow', env: { FAKE_AGENT_SECONDS: '0.3' } })
    expect(fed.finish).toBeUndefined()
    expect(fed.entries.filter((e) => e.kind === 'text')).toHaveLength(3)
    expect(fed.usage).toMatchObject({ inputTokens: 3, outputTokens: 3, turns: 1 })
  })
})

describe('codex parser rules', () => {
  const line = (value: unknown): string => JSON.stringify(value)

  it('exit 0 without turn.completed is bad_output; an unclassified turn.failed is crashed', () => {
    const parser = codexPreset.parser()
    parser.stdout(line({ type: 'thread.started', thread_id: 't' }))
    expect(parser.finish({ code: 0, signal: null })?.class).toBe('bad_output')
    parser.stdout(line({ type: 'turn.failed', error: { message: 'model response stream ended' } }))
    expect(parser.finish({ code: 1, signal: null })).toEqual({
      class: 'crashed',
      message: 'Codex failed: model response stream ended',
    })
  })

  it('turn totals replace, never add', () => {
    const parser = codexPreset.parser()
    const usage = { input_tokens: 100, cached_input_tokens: 40, output_tokens: 10 }
    parser.stdout(line({ type: 'turn.completed', usage }))
    const second = parser.stdout(
      line({ type: 'turn.completed', usage: { ...usage, output_tokens: 25 } }),
    )
    expect(second.finalUsage).toMatchObject({
      inputTokens: 60,
      cacheReadTokens: 40,
      outputTokens: 25,
      turns: 2,
    })
    expect(second.usage).toBeUndefined()
  })

  it('survives hostile input', () => {
    const parser = codexPreset.parser()
    const nasty = [
      '{"type":"item.completed","item":null}',
      '{"type":"item.completed","item":{"type":"command_execution","exit_code":"1","aggregated_output":[1]}}',
      '{"type":"item.started","item":{"id":7,"type":"mcp_tool_call","arguments":{"x":1}}}',
      '{"type":"item.completed","item":{"type":"mcp_tool_call","result":{"content":"no"},"error":"x"}}',
      '{"type":"item.completed","item":{"type":"file_change","changes":[null,{"path":3}]}}',
      '{"type":"turn.completed","usage":{"input_tokens":"5","cached_input_tokens":99,"output_tokens":1e400}}',
      '{"type":"turn.failed","error":"flat"}',
      '{"type":"error","message":{"nested":true}}',
      '{"type":"item.completed","item":{"type":"todo_list","items":"none"}}',
    ]
    for (const l of nasty) expect(() => parser.stdout(l)).not.toThrow()
    const usage = parser.stdout(
      '{"type":"turn.completed","usage":{"input_tokens":5,"cached_input_tokens":99}}',
    )
    expect(usage.finalUsage?.inputTokens).toBe(0)
  })
})
