import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { claudePreset } from './claude'
import { invocationContext, localTime, SPEC_TITLE, usePresetRuns } from './fixtures/harness'
import { MAX_ENTRY_CHARS } from './parsing'

const run = usePresetRuns()

describe('claude invocation', () => {
  it('passes the prompt as one argv element after --, nothing through a shell', () => {
    const prompt = '--help; $(touch /tmp/x) "quoted"\nsecond line'
    const invocation = claudePreset.invocation(
      invocationContext({ bin: '/usr/bin/claude', prompt }),
    )
    expect(invocation).toEqual({
      file: '/usr/bin/claude',
      args: [
        '-p',
        '--output-format',
        'stream-json',
        '--verbose',
        '--permission-mode',
        'acceptEdits',
        '--',
        prompt,
      ],
    })
    expect(invocation.stdin).toBeUndefined()
  })
})

describe('claude parser on the fake CLI', () => {
  it('ship: transcript, deduplicated usage, authoritative final usage, files', async () => {
    const fed = await run(claudePreset)
    expect(fed.exit).toEqual({ code: 0, signal: null })
    expect(fed.finish).toBeUndefined()
    // Claude Code's init line is labelled as Claude Code's own, in words, not as its JSON.
    expect(fed.entries[0]).toEqual({
      kind: 'system',
      agent: 'Claude Code',
      text: expect.stringMatching(
        /^Claude Code started · model claude-sonnet-4-5-20250929, in \/\S+ · 4 tools · permissions: default$/,
      ),
    })
    // The spec arrived verbatim: its title, shell syntax and all.
    expect(fed.entries).toContainEqual({ kind: 'text', text: expect.stringContaining(SPEC_TITLE) })
    expect(fed.entries).toContainEqual({
      kind: 'tool_call',
      id: 'toolu_fake_1',
      name: 'Bash',
      input: '{"command":"ls"}',
    })
    expect(fed.entries).toContainEqual({
      kind: 'tool_result',
      id: 'toolu_fake_1',
      output: 'spec.md',
    })
    expect(fed.entries).toContainEqual({ kind: 'thinking', text: 'Wrapping up.' })
    expect(fed.entries.at(-1)).toEqual({
      kind: 'result',
      text: `Shipped "${SPEC_TITLE}"`,
      isError: false,
    })
    // Two lines per message id, one with grown output: counted once, growth included.
    expect(fed.deltas).toEqual({
      inputTokens: 22,
      outputTokens: 35,
      cacheReadTokens: 300,
      cacheWriteTokens: 20,
      costMicros: 0,
      turns: 2,
    })
    expect(fed.usage).toEqual({
      inputTokens: 22,
      outputTokens: 35,
      cacheReadTokens: 300,
      cacheWriteTokens: 20,
      costMicros: 12_346,
      turns: 2,
    })
    const artifact = JSON.parse(readFileSync(join(fed.outputDir, 'artifact.json'), 'utf8'))
    expect(artifact).toMatchObject({ version: '0.1.0', screenshots: ['shot.png'] })
    expect(existsSync(join(fed.outputDir, 'shot.png'))).toBe(true)
    const stages = readFileSync(join(fed.outputDir, 'progress.jsonl'), 'utf8').trim().split('\n')
    expect(stages.map((l) => JSON.parse(l).stage)).toContain('review')
    expect(readFileSync(join(fed.cwd, 'hello.txt'), 'utf8')).toContain(SPEC_TITLE)
  })

  it('done: success without an artifact', async () => {
    const fed = await run(claudePreset, { scenario: 'done' })
    expect(fed.finish).toBeUndefined()
    expect(existsSync(join(fed.outputDir, 'artifact.json'))).toBe(false)
  })

  it('rate_limit: a 429 is rate_limited, announced as it happens', async () => {
    const fed = await run(claudePreset, { scenario: 'rate_limit' })
    expect(fed.exit.code).toBe(1)
    expect(fed.finish?.class).toBe('rate_limited')
    expect(fed.finish?.message).toMatch(/^API Error: 429/)
    expect(fed.announced[0]?.class).toBe('rate_limited')
  })

  it('quota: "limit reached · resets 6am" resets at the next 6am after the pinned clock', async () => {
    const now = localTime(2026, 3, 10, 7)
    const fed = await run(claudePreset, { scenario: 'quota', now: () => now })
    expect(fed.finish).toEqual({
      class: 'quota_exhausted',
      message: 'Claude AI usage limit reached · resets 6am',
      resetAt: localTime(2026, 3, 11, 6),
    })
  })

  it('quota: a named zone is honoured', async () => {
    const now = Date.UTC(2026, 0, 15, 12)
    const env = { FAKE_AGENT_QUOTA_MESSAGE: "You've hit your limit · resets 6:30am (Europe/Paris)" }
    const fed = await run(claudePreset, { scenario: 'quota', env, now: () => now })
    expect(fed.finish?.class).toBe('quota_exhausted')
    expect(fed.finish?.resetAt).toBe(Date.UTC(2026, 0, 16, 5, 30))
  })

  it('auth and overloaded', async () => {
    expect((await run(claudePreset, { scenario: 'auth' })).finish?.class).toBe('auth_expired')
    expect((await run(claudePreset, { scenario: 'overloaded' })).finish?.class).toBe('overloaded')
  })

  it('bad_json with exit 0 is bad_output; the garbage is kept raw', async () => {
    const fed = await run(claudePreset, { scenario: 'bad_json' })
    expect(fed.exit.code).toBe(0)
    expect(fed.finish?.class).toBe('bad_output')
    expect(fed.entries.every((e) => e.kind === 'raw')).toBe(true)
    expect(fed.entries[0]).toMatchObject({ kind: 'raw', stream: 'stdout' })
  })

  it('max_turns, with the result usage as the final total', async () => {
    const fed = await run(claudePreset, { scenario: 'max_turns' })
    expect(fed.finish?.class).toBe('max_turns')
    expect(fed.usage).toMatchObject({
      inputTokens: 30,
      outputTokens: 15,
      costMicros: 50_000,
      turns: 3,
    })
  })

  it('crash (exit 3) and a kill (signal) are crashed', async () => {
    const crash = await run(claudePreset, { scenario: 'crash' })
    expect(crash.finish).toEqual({ class: 'crashed', message: 'exited with code 3' })
    const killed = await run(claudePreset, { scenario: 'hang', killOnFirstLine: 'SIGTERM' })
    expect(killed.exit).toEqual({ code: null, signal: 'SIGTERM' })
    expect(killed.finish).toEqual({ class: 'crashed', message: 'killed by SIGTERM' })
  })

  it('slow: a line every 100 ms, each its own turn', async () => {
    const fed = await run(claudePreset, { scenario: 'slow', env: { FAKE_AGENT_SECONDS: '0.5' } })
    expect(fed.finish).toBeUndefined()
    expect(fed.deltas.turns).toBe(5)
    expect(fed.usage).toMatchObject({ turns: 5, costMicros: 5 })
  })
})

describe('claude parser rules', () => {
  const line = (value: unknown): string => JSON.stringify(value)
  const ok = { code: 0, signal: null }

  it('an announced failure wins over a generic exit; success after a transient error wins', () => {
    const parser = claudePreset.parser()
    parser.stdout(line({ type: 'system', subtype: 'init' }))
    expect(parser.stderr('API Error: 529 {"type":"overloaded_error"}').failure?.class).toBe(
      'overloaded',
    )
    expect(parser.finish({ code: 1, signal: null })?.class).toBe('overloaded')
    parser.stdout(line({ type: 'result', subtype: 'success', is_error: false, num_turns: 1 }))
    expect(parser.finish(ok)).toBeUndefined()
    expect(parser.finish({ code: 1, signal: null })?.class).toBe('overloaded')
  })

  it('JSON but no result, exit 0: bad_output; nothing at all: bad_output', () => {
    const parser = claudePreset.parser()
    parser.stdout(line({ type: 'system', subtype: 'init' }))
    expect(parser.finish(ok)).toEqual({
      class: 'bad_output',
      message: 'Claude Code exited without a final result line',
    })
    expect(claudePreset.parser().finish(ok)?.class).toBe('bad_output')
  })

  it('a system line other than init says its kind in words, as Claude Code’s, never its JSON', () => {
    const out = claudePreset
      .parser()
      .stdout(line({ type: 'system', subtype: 'compact_boundary', session_id: 'x', uuid: 'y' }))
    expect(out.entries).toEqual([
      { kind: 'system', agent: 'Claude Code', text: 'compact boundary' },
    ])
  })

  it('rate_limit_event rejected is a quota with its reset time', () => {
    const parser = claudePreset.parser()
    const info = { status: 'rejected', resetsAt: 1_760_000_400, rateLimitType: 'five_hour' }
    const out = parser.stdout(line({ type: 'rate_limit_event', rate_limit_info: info }))
    expect(out.failure).toEqual({
      class: 'quota_exhausted',
      message: 'Claude’s 5-hour limit reached',
      resetAt: 1_760_000_400_000,
    })
    expect(out.entries).toEqual([
      { kind: 'system', agent: 'Claude Code', text: '5-hour limit reached' },
    ])
    expect(parser.finish({ code: 1, signal: null })?.resetAt).toBe(1_760_000_400_000)
    const warn = { status: 'allowed_warning', utilization: 0.9 }
    const quiet = claudePreset
      .parser()
      .stdout(line({ type: 'rate_limit_event', rate_limit_info: warn }))
    expect(quiet.failure).toBeUndefined()
  })

  it('the final result replaces counted usage, and a result without usage keeps the counts', () => {
    const parser = claudePreset.parser()
    const usage = { input_tokens: 5, output_tokens: 7 }
    parser.stdout(line({ type: 'assistant', message: { id: 'm1', content: [], usage } }))
    const out = parser.stdout(
      line({ type: 'result', subtype: 'success', total_cost_usd: 0.1 + 0.2 }),
    )
    expect(out.finalUsage).toEqual({
      inputTokens: 5,
      outputTokens: 7,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costMicros: 300_000,
      turns: 1,
    })
  })

  it('ordinary assistant prose about rate limits is not a failure', () => {
    const parser = claudePreset.parser()
    const content = [{ type: 'text', text: 'I added a 429 rate limit handler.' }]
    expect(parser.stdout(line({ type: 'assistant', message: { content } })).failure).toBeUndefined()
  })

  it('survives hostile input: huge lines, wrong types, non-objects', () => {
    const parser = claudePreset.parser()
    const huge = 'x'.repeat(1_000_000)
    const big = parser.stdout(
      line({ type: 'assistant', message: { content: [{ type: 'text', text: huge }] } }),
    )
    const text = big.entries[0]?.kind === 'text' ? big.entries[0].text : ''
    expect(text.length).toBeLessThan(MAX_ENTRY_CHARS + 100)
    expect(parser.stdout(huge).entries[0]?.kind).toBe('raw')
    const nasty = [
      'null',
      '[1,2,3]',
      '"str"',
      '{"type":{"a":1}}',
      '{"type":"assistant","message":"nope"}',
      '{"type":"assistant","message":{"content":"x","usage":{"input_tokens":"9","output_tokens":-4}}}',
      '{"type":"assistant","message":{"content":[null,1,{"type":"tool_use","input":{"a":[1]}}]}}',
      '{"type":"user","message":{"content":[{"type":"tool_result","content":{"weird":true}}]}}',
      '{"type":"result","usage":[1],"total_cost_usd":"abc","num_turns":-5,"errors":"x"}',
      '{"type":"rate_limit_event","rate_limit_info":{"status":"rejected","resetsAt":"soon"}}',
      '{"type":"system","subtype":null,"tools":"all"}',
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
      '{"__proto__":{"polluted":true},"type":"assistant"}',
    ]
    for (const l of nasty) {
      expect(() => parser.stdout(l)).not.toThrow()
      expect(() => parser.stderr(l)).not.toThrow()
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(() => parser.finish({ code: null, signal: 'SIGKILL' })).not.toThrow()
  })
})
