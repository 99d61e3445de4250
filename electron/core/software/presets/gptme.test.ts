import { mkdirSync, mkdtempSync, rmSync, truncateSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Usage } from '../../../../shared/runs'
import { invocationContext, SPEC_TITLE, usePresetRuns } from './fixtures/harness'
import {
  gptmeLogsDir,
  gptmePreset,
  gptmeUsageAfterExit,
  MAX_LOG_BYTES,
  readConversationUsage,
} from './gptme'
import { withUsageAfterExit } from './index'
import { MAX_JSON_LINE_CHARS } from './parsing'

const run = usePresetRuns()

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
function logsHome(): string {
  const dir = mkdtempSync(join(tmpdir(), 'factory-gptme-logs-'))
  dirs.push(dir)
  return dir
}

/** What fake-gptme.mjs's ship/done conversation log adds up to. */
const LOGGED: Usage = {
  inputTokens: 28,
  outputTokens: 245,
  cacheReadTokens: 8300,
  cacheWriteTokens: 4300,
  costMicros: 17_376, // 0.0123456 → 12346, 0.0041 → 4100, 0.0009299999999999999 → 930
  turns: 3,
}

/** A conversation.jsonl line as gptme writes one (Message.to_dict()). */
function message(role: string, metadata?: unknown): string {
  const line: Record<string, unknown> = { role, content: 'x', timestamp: '2026-05-01T10:00:00.1' }
  if (metadata !== undefined) line.metadata = metadata
  return JSON.stringify(line)
}

function writeLog(home: string, name: string, lines: string[]): string {
  mkdirSync(join(home, name), { recursive: true })
  const file = join(home, name, 'conversation.jsonl')
  writeFileSync(file, lines.map((l) => `${l}\n`).join(''))
  return file
}

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

  it('ship and done: the conversation log under GPTME_LOGS_HOME/<--name> has the usage', async () => {
    for (const scenario of ['ship', 'done']) {
      const home = logsHome()
      const startedAt = Date.now()
      const fed = await run(gptmePreset, {
        scenario,
        runId: 'run_log_1',
        env: { GPTME_LOGS_HOME: home },
      })
      expect(fed.finish).toBeUndefined()
      const context = { runId: 'run_log_1', env: { GPTME_LOGS_HOME: home }, startedAt }
      expect(gptmePreset.usageAfterExit?.(context)).toEqual(LOGGED)
      // What the supervisor ends with: the stream's turns, the rest from the log.
      expect(withUsageAfterExit(gptmePreset, fed.usage, context)).toEqual(LOGGED)
      // Another run's name finds nothing.
      expect(gptmeUsageAfterExit({ ...context, runId: 'run_log_2' })).toBeUndefined()
    }
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

describe('gptme conversation log', () => {
  const meta = (usage: unknown, cost?: unknown) => ({ model: 'anthropic/claude-x', usage, cost })

  it('sums assistant messages only; cost in exact micro-dollars, never float-multiplied', () => {
    const home = logsHome()
    const file = writeLog(home, 'factory-r1', [
      message('system'),
      message('user'),
      message('assistant', meta({ input_tokens: 3, output_tokens: 5 }, 0.0009299999999999999)),
      message('system', meta({ input_tokens: 1000 }, 1)), // not an assistant's: ignored
      message('assistant', meta({ cache_read_tokens: 7, cache_creation_tokens: 11 }, 0.1 + 0.2)),
      message('assistant'), // no metadata (telemetry off, or a cost of 0): a turn, nothing else
    ])
    expect(readConversationUsage(file)).toEqual({
      inputTokens: 3,
      outputTokens: 5,
      cacheReadTokens: 7,
      cacheWriteTokens: 11,
      costMicros: 930 + 300_000,
      turns: 3,
    })
  })

  it("reads gptme 0.31.0's flat metadata (token counts beside cost)", () => {
    const file = writeLog(logsHome(), 'factory-r1', [
      message('assistant', { model: 'm', input_tokens: 4, output_tokens: 6, cost: 0.002 }),
    ])
    expect(readConversationUsage(file)).toMatchObject({
      inputTokens: 4,
      outputTokens: 6,
      costMicros: 2000,
    })
  })

  it('skips malformed and hostile lines', () => {
    const ok = message('assistant', meta({ input_tokens: 1, output_tokens: 2 }, 0.000001))
    const file = writeLog(logsHome(), 'factory-r1', [
      ok,
      '{"role": "assistant", "metadata": {"usage": {"input_tokens": 5}', // cut off
      'not json at all',
      '[1, 2, 3]',
      'null',
      '',
      message('assistant', 'metadata as a string'),
      message('assistant', meta([1, 2], 'NaN')),
      message('assistant', meta({ input_tokens: -50, output_tokens: 'many' }, -3)),
      message('assistant', meta({ input_tokens: 1e300, output_tokens: Number.MAX_SAFE_INTEGER })),
      JSON.stringify({ role: ['assistant'], metadata: meta({ input_tokens: 9 }) }),
      `{"role": "assistant", "__proto__": {"metadata": {"cost": 5}}}`,
      ok,
    ])
    const usage = readConversationUsage(file)!
    expect(usage).toMatchObject({ costMicros: 2, cacheReadTokens: 0 })
    expect(usage.inputTokens).toBe(Number.MAX_SAFE_INTEGER) // saturated, never past safe integers
    expect(usage.outputTokens).toBe(Number.MAX_SAFE_INTEGER)
    expect(usage.turns).toBe(7)
    for (const value of Object.values(usage)) expect(Number.isSafeInteger(value)).toBe(true)
  })

  it('skips an over-long line and stops reading at MAX_LOG_BYTES', () => {
    const ok = message('assistant', meta({ output_tokens: 1 }))
    const long = JSON.stringify({ role: 'assistant', content: 'y'.repeat(MAX_JSON_LINE_CHARS) })
    const file = writeLog(logsHome(), 'factory-r1', [ok, long, ok])
    expect(readConversationUsage(file)).toMatchObject({ outputTokens: 2, turns: 2 })
    // A sparse file past the cap: what lies beyond it is never read.
    const big = writeLog(logsHome(), 'factory-r1', [ok])
    truncateSync(big, MAX_LOG_BYTES + 10)
    writeFileSync(big, `\n${ok}\n`, { flag: 'a' })
    expect(readConversationUsage(big)).toMatchObject({ outputTokens: 1, turns: 1 })
  })

  it('no log, not a file, or older than the run: undefined', () => {
    const home = logsHome()
    const context = { runId: 'r1', env: { GPTME_LOGS_HOME: home }, startedAt: Date.now() }
    expect(gptmeUsageAfterExit(context)).toBeUndefined()
    mkdirSync(join(home, 'factory-r1', 'conversation.jsonl'), { recursive: true })
    expect(gptmeUsageAfterExit(context)).toBeUndefined()
    const file = writeLog(home, 'factory-r2', [message('assistant', meta({ input_tokens: 1 }))])
    const old = (Date.now() - 3600_000) / 1000
    utimesSync(file, old, old)
    expect(gptmeUsageAfterExit({ ...context, runId: 'r2' })).toBeUndefined()
    expect(gptmeUsageAfterExit({ ...context, runId: 'r2', startedAt: 0 })).toMatchObject({
      inputTokens: 1,
    })
    // A run id that gets no --name has no log to find; a relative logs home is not guessed.
    expect(gptmeUsageAfterExit({ ...context, runId: '../r2', startedAt: 0 })).toBeUndefined()
    const relative = { ...context, runId: 'r2', startedAt: 0, env: { GPTME_LOGS_HOME: 'logs' } }
    expect(gptmeUsageAfterExit(relative)).toBeUndefined()
  })

  it('finds the logs folder as gptme/dirs.py does', () => {
    expect(gptmeLogsDir({ GPTME_LOGS_HOME: '/l', XDG_DATA_HOME: '/x' })).toBe('/l')
    expect(gptmeLogsDir({ XDG_DATA_HOME: '/x', HOME: '/h' })).toBe('/x/gptme/logs')
    const home = logsHome()
    expect(gptmeLogsDir({ HOME: home }, 'linux')).toBe(join(home, '.local/share/gptme/logs'))
    expect(gptmeLogsDir({ HOME: home }, 'darwin')).toBe(
      join(home, 'Library/Application Support/gptme/logs'),
    )
    mkdirSync(join(home, '.local/share/gptme'), { recursive: true })
    expect(gptmeLogsDir({ HOME: home }, 'darwin')).toBe(join(home, '.local/share/gptme/logs'))
  })

  it('the supervisor keeps what the stream reported and fills only what it left at 0', () => {
    const recorded: Usage = { ...LOGGED }
    const preset = { ...gptmePreset, usageAfterExit: () => recorded }
    const context = { runId: 'r', env: {}, startedAt: 0 }
    const streamed: Usage = { ...LOGGED, inputTokens: 0, costMicros: 0, turns: 4 }
    expect(withUsageAfterExit(preset, streamed, context)).toEqual({ ...LOGGED, turns: 4 })
    const throwing = {
      ...gptmePreset,
      usageAfterExit: () => {
        throw new Error('boom')
      },
    }
    expect(withUsageAfterExit(throwing, streamed, context)).toBe(streamed)
    const { usageAfterExit: _none, ...withoutReader } = gptmePreset
    expect(withUsageAfterExit(withoutReader, streamed, context)).toBe(streamed)
  })
})
