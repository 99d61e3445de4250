// Claude log import idempotence: real JSONL files in Claude Code's line shapes, imported into a real
// ledger, again and again; totals move only when the logs gained a message.
import { appendFileSync, mkdirSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createEngine, type Engine } from '../../engine'
import { tempDir } from '../../testing'
import { importClaudeLogs, MAX_LINE_BYTES, parseLogLine } from './claudeLogs'

let engine: Engine
let dir: string
let projects: string
let cleanup: () => void
const NOW = Date.UTC(2026, 10, 25, 12)

beforeEach(() => {
  ;({ dir, cleanup } = tempDir())
  projects = join(dir, 'claude', 'projects')
  mkdirSync(join(projects, '-home-me-site'), { recursive: true })
  engine = createEngine({ dbPath: join(dir, 'ledger.db'), now: () => NOW })
  engine.call('agent/add', { name: 'bob', quotas: ['5h:tokens:1000000'] }, 'test')
})
afterEach(() => {
  engine.close()
  cleanup()
})

const SESSION = '9ecbeb02-4f54-4380-9b7b-38cdf9a92eab'
let uuid = 0

/** An assistant line as Claude Code writes it (keys in its order), one per content block. */
function assistant(options: {
  id: string
  request?: string
  input?: number
  output?: number
  cacheWrite?: number
  cacheRead?: number
  cwd?: string
  minutesAgo?: number
}): string {
  return JSON.stringify({
    parentUuid: `p-${uuid}`,
    isSidechain: false,
    userType: 'external',
    cwd: options.cwd ?? '/home/me/site',
    sessionId: SESSION,
    version: '1.0.51',
    gitBranch: 'main',
    message: {
      id: options.id,
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-20250514',
      content: [{ type: 'text', text: 'Looking at the file.' }],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: options.input ?? 5,
        cache_creation_input_tokens: options.cacheWrite ?? 262,
        cache_read_input_tokens: options.cacheRead ?? 17_299,
        output_tokens: options.output ?? 24,
        service_tier: 'standard',
      },
    },
    requestId: options.request ?? `req_${options.id}`,
    type: 'assistant',
    uuid: `u-${++uuid}`,
    timestamp: new Date(NOW - (options.minutesAgo ?? 10) * 60_000).toISOString(),
  })
}

const user = (text: string) =>
  JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    userType: 'external',
    cwd: '/home/me/site',
    sessionId: SESSION,
    version: '1.0.51',
    type: 'user',
    message: { role: 'user', content: text },
    uuid: `u-${++uuid}`,
    timestamp: new Date(NOW - 20 * 60_000).toISOString(),
  })

const summary = JSON.stringify({ type: 'summary', summary: 'Fix the build', leafUuid: 'u-1' })

const session = (name = `${SESSION}.jsonl`) => join(projects, '-home-me-site', name)
const lines = (...texts: string[]) => texts.map((t) => t + '\n').join('')

function totals() {
  return engine.ledger.sqlite
    .prepare(
      `SELECT count(*) AS rows, coalesce(sum(input_tokens), 0) AS input,
              coalesce(sum(output_tokens), 0) AS output,
              coalesce(sum(cache_write_tokens), 0) AS cacheWrite,
              coalesce(sum(cache_read_tokens), 0) AS cacheRead
       FROM usage WHERE agent = 'bob' AND source = 'claude-logs'`,
    )
    .get() as { rows: number; input: number; output: number; cacheWrite: number; cacheRead: number }
}

const importedEvents = () =>
  engine.call('log/list', { limit: 1000 }, 'test').filter((e) => e.type === 'usage.imported')

const run = (options: Parameters<typeof importClaudeLogs>[2] = {}) =>
  importClaudeLogs(engine.ledger, 'bob', { dir: projects, ...options })

describe('Claude log import', () => {
  it('is idempotent: importing again counts nothing twice and records no second event', async () => {
    writeFileSync(
      session(),
      lines(
        summary,
        user('fix the build'),
        assistant({ id: 'msg_01A', input: 5, output: 24 }),
        user('and the tests'),
        assistant({ id: 'msg_01B', input: 7, output: 100, cacheWrite: 10 }),
      ),
    )
    const first = await run()
    expect(first).toMatchObject({ rows: 2, updated: 0, files: 1 })
    expect(first.skipped).toEqual({ malformed: 0, tooLong: 0, factoryRuns: 0 })
    const after = totals()
    expect(after).toEqual({ rows: 2, input: 12, output: 124, cacheWrite: 272, cacheRead: 34_598 })
    expect(importedEvents()).toHaveLength(1)
    expect(importedEvents()[0]!.payload).toEqual({
      agent: 'bob',
      source: 'claude-logs',
      rows: 2,
      updated: 0,
      files: 1,
    })

    expect(await run()).toMatchObject({ rows: 0, updated: 0, files: 0 })
    // Forgetting every cursor makes it read everything again: still nothing counted twice.
    engine.ledger.sqlite.prepare('DELETE FROM import_cursors').run()
    expect(await run()).toMatchObject({ rows: 0, updated: 0, files: 1 })
    expect(totals()).toEqual(after)
    expect(importedEvents()).toHaveLength(1)
  })

  it('counts a message written on several lines, and again in a subagent file, once', async () => {
    // One message with three content blocks: three lines (each its own uuid), the same
    // message.id and requestId.
    const block = () => assistant({ id: 'msg_01C', request: 'req_011C', output: 24 })
    writeFileSync(session(), lines(block(), block(), block()))
    mkdirSync(join(projects, '-home-me-site', SESSION, 'subagents'), { recursive: true })
    writeFileSync(
      join(projects, '-home-me-site', SESSION, 'subagents', 'agent-1.jsonl'),
      lines(block(), assistant({ id: 'msg_01D' })),
    )
    expect(await run()).toMatchObject({ rows: 2, files: 2 })
    expect(totals()).toMatchObject({ rows: 2, output: 48 })
  })

  it('keeps the fuller count when a later line of the same message says more', async () => {
    // Streaming: the first block's line was written before the message's output was complete.
    writeFileSync(session(), lines(assistant({ id: 'msg_01E', request: 'req_E', output: 1 })))
    await run()
    appendFileSync(session(), lines(assistant({ id: 'msg_01E', request: 'req_E', output: 310 })))
    expect(await run()).toMatchObject({ rows: 0, updated: 1 })
    expect(totals()).toMatchObject({ rows: 1, output: 310 })
    expect(importedEvents().map((e) => e.payload.updated)).toEqual([0, 1])
  })

  it('reads only what was appended since the last import', async () => {
    writeFileSync(session(), lines(assistant({ id: 'msg_1', output: 10 })))
    await run()
    appendFileSync(
      session(),
      lines(user('more'), assistant({ id: 'msg_2', output: 20 }), assistant({ id: 'msg_3' })),
    )
    const second = await run()
    expect(second).toMatchObject({ rows: 2, files: 1 })
    expect(totals()).toMatchObject({ rows: 3, output: 10 + 20 + 24 })
    // The cursor sits at the file's end: the next import reads nothing.
    expect(await run()).toMatchObject({ rows: 0, files: 0 })
  })

  it('leaves a half-written last line for later and counts it once it is complete', async () => {
    const whole = assistant({ id: 'msg_T', output: 77 })
    const cut = 120
    const complete = lines(assistant({ id: 'msg_S' }))
    writeFileSync(session(), complete + whole.slice(0, cut))
    expect(await run()).toMatchObject({ rows: 1, skipped: { malformed: 0 } })
    // The next import starts at the unfinished line, not past it.
    expect(engine.ledger.sqlite.prepare('SELECT offset FROM import_cursors').get()).toEqual({
      offset: Buffer.byteLength(complete),
    })
    appendFileSync(session(), whole.slice(cut) + '\n')
    expect(await run()).toMatchObject({ rows: 1, skipped: { malformed: 0 } })
    expect(totals()).toMatchObject({ rows: 2, output: 24 + 77 })
  })

  it('skips and counts malformed, mistyped and oversized lines, and imports the rest', async () => {
    const wrongTypes = JSON.parse(assistant({ id: 'msg_W' })) as {
      message: { usage: Record<string, unknown> }
    }
    wrongTypes.message.usage.output_tokens = '24'
    const noTime = JSON.parse(assistant({ id: 'msg_N' })) as Record<string, unknown>
    noTime.timestamp = 'yesterday'
    const huge = assistant({ id: 'msg_H' }).replace(
      'Looking at the file.',
      'x'.repeat(MAX_LINE_BYTES),
    )
    writeFileSync(
      session(),
      lines(
        '{"type":"assistant","message":{"id":',
        'not json at all',
        '[1,2,3]',
        JSON.stringify(wrongTypes),
        JSON.stringify(noTime),
        huge,
        assistant({ id: 'msg_OK', output: 5 }),
        '',
      ),
    )
    const result = await run()
    expect(result.skipped).toEqual({ malformed: 5, tooLong: 1, factoryRuns: 0 })
    expect(result.rows).toBe(1)
    expect(totals()).toMatchObject({ rows: 1, output: 5 })
  })

  it('passes over counts no message reaches and times still to come, which would jam a window', async () => {
    writeFileSync(
      session(),
      lines(
        assistant({ id: 'msg_huge', input: Number.MAX_SAFE_INTEGER }),
        assistant({ id: 'msg_2099', minutesAgo: -60 * 24 * 365 * 70 }),
        assistant({ id: 'msg_ok', input: 5, output: 24 }),
      ),
    )
    const imported = await run()
    expect(imported).toMatchObject({ rows: 1 })
    expect(imported.skipped.malformed).toBe(2)
    const [bob] = engine.call('usage/get', { agent: 'bob' }, 'test')
    expect(bob!.windows[0]!.used).toBe(5 + 24 + 262)
  })

  it('drops a line past the cap that is still being written without holding it whole', async () => {
    writeFileSync(session(), lines(assistant({ id: 'msg_A1' })) + 'y'.repeat(5000))
    expect(await run({ maxLineBytes: 1000 })).toMatchObject({ rows: 1, skipped: { tooLong: 0 } })
    appendFileSync(session(), 'y'.repeat(5000) + '\n' + lines(assistant({ id: 'msg_A2' })))
    expect(await run({ maxLineBytes: 1000 })).toMatchObject({ rows: 1, skipped: { tooLong: 1 } })
    expect(totals().rows).toBe(2)
  })

  it("leaves out the factory's own runs: sessions in a run's folder or below it", async () => {
    engine.call('spec/add', { title: 'owner of r_1' }, 'test')
    engine.ledger.sqlite
      .prepare(
        `INSERT INTO runs (id, spec_id, agent, runner, state, argv, cwd, workspace_kind, run_dir,
           worktree, created_at, updated_at)
         VALUES ('r_1', 's_1', 'bob', 'claude', 'done', '[]', '/data/worktrees/s_1', 'worktree',
           '/data/runs/r_1', '/data/worktrees/s_1', ?, ?)`,
      )
      .run(NOW, NOW)
    writeFileSync(
      session(),
      lines(
        assistant({ id: 'msg_R1', cwd: '/data/worktrees/s_1' }),
        assistant({ id: 'msg_R2', cwd: '/data/worktrees/s_1/packages/app' }),
        assistant({ id: 'msg_X', cwd: '/data/worktrees/s_10' }), // a sibling, not inside
        assistant({ id: 'msg_Y', cwd: '/home/me/site' }),
      ),
    )
    const result = await run()
    expect(result).toMatchObject({ rows: 2, skipped: { factoryRuns: 2 } })
  })

  it('reads a file that shrank or was replaced from the start, still counting nothing twice', async () => {
    writeFileSync(
      session(),
      lines(assistant({ id: 'msg_K1' }), assistant({ id: 'msg_K2' }), assistant({ id: 'msg_K3' })),
    )
    await run()
    // Replaced by a shorter file: two known messages and a new one.
    truncateSync(session(), 0)
    writeFileSync(session(), lines(assistant({ id: 'msg_K1' }), assistant({ id: 'msg_K4' })))
    expect(await run()).toMatchObject({ rows: 1 })
    // Replaced by a longer one whose byte before the old cursor is not a line's end.
    writeFileSync(
      session(),
      lines(
        assistant({ id: 'msg_K5', cwd: '/home/me/a-longer-folder-name' }),
        assistant({ id: 'msg_K1' }),
        assistant({ id: 'msg_K6' }),
      ),
    )
    expect(await run()).toMatchObject({ rows: 2 })
    expect(totals().rows).toBe(6)
  })

  it('commits long imports in several transactions with the same totals', async () => {
    const many = Array.from({ length: 60 }, (_, i) => assistant({ id: `msg_M${i}`, output: i }))
    writeFileSync(session(), lines(...many))
    const result = await run({ batchBytes: 4000 })
    expect(result.rows).toBe(60)
    expect(totals()).toMatchObject({ rows: 60, output: (59 * 60) / 2 })
    // Several transactions, each explained by its own event; none without rows.
    const events = importedEvents()
    expect(events.length).toBeGreaterThan(1)
    expect(events.reduce((sum, e) => sum + Number(e.payload.rows), 0)).toBe(60)
    expect(await run({ batchBytes: 4000 })).toMatchObject({ rows: 0, files: 0 })
  })

  it('writes nothing half: a failed transaction leaves rows and cursor as they were', async () => {
    const many = Array.from({ length: 60 }, (_, i) => assistant({ id: `msg_M${i}`, output: 1 }))
    writeFileSync(session(), lines(...many))
    // The disk fills up while the batch holding message 30 is written.
    engine.ledger.sqlite.exec(`CREATE TEMP TRIGGER full BEFORE INSERT ON usage
      WHEN NEW.external_id = 'msg_M30:req_msg_M30' BEGIN SELECT RAISE(ABORT, 'disk full'); END`)
    await expect(run({ batchBytes: 4000 })).rejects.toThrow(/disk full/)
    const committed = totals().rows
    expect(committed).toBeGreaterThan(0)
    expect(committed).toBeLessThan(31)
    // Every committed row is one its event explains, and the cursor stops where they stop.
    const events = importedEvents()
    expect(events.reduce((sum, e) => sum + Number(e.payload.rows), 0)).toBe(committed)
    engine.ledger.sqlite.exec('DROP TRIGGER full')
    expect(await run({ batchBytes: 4000 })).toMatchObject({ rows: 60 - committed })
    expect(totals().rows).toBe(60)
  })

  it('counts imported messages in the quota windows, by their own time', async () => {
    writeFileSync(
      session(),
      lines(
        assistant({ id: 'msg_Q1', input: 1000, output: 2000, cacheWrite: 0, minutesAgo: 60 }),
        assistant({ id: 'msg_Q2', input: 1000, output: 2000, cacheWrite: 0, minutesAgo: 6 * 60 }),
      ),
    )
    await run()
    const [usage] = engine.call('usage/get', { agent: 'bob' }, 'test')
    // The message six hours ago is outside the 5h window.
    expect(usage!.windows[0]).toMatchObject({ used: 3000, utilization: 0.003 })
  })

  it('says clearly when the folder is not there, or is not an absolute path', async () => {
    await expect(run({ dir: join(dir, 'nowhere') })).rejects.toThrow(
      /no Claude projects folder at .*nowhere/,
    )
    await expect(run({ dir: 'claude/projects' })).rejects.toThrow(
      /must be an absolute path, not "claude\/projects"/,
    )
  })
})

describe('a log line', () => {
  it('is usage only when it is an assistant message with counts and an id to count it by', () => {
    expect(parseLogLine(assistant({ id: 'msg_1', request: 'req_1' }))).toMatchObject({
      externalId: 'msg_1:req_1',
      inputTokens: 5,
      outputTokens: 24,
      cacheWriteTokens: 262,
      cacheReadTokens: 17_299,
    })
    expect(parseLogLine(user('hello'))).toBe('other')
    expect(parseLogLine(summary)).toBe('other')
    const synthetic = JSON.parse(assistant({ id: 'msg_2' })) as { message: { model: string } }
    synthetic.message.model = '<synthetic>'
    expect(parseLogLine(JSON.stringify(synthetic))).toBe('other')
    const anonymous = JSON.parse(assistant({ id: 'x' })) as Record<string, unknown>
    delete (anonymous.message as Record<string, unknown>).id
    delete anonymous.requestId
    expect(parseLogLine(JSON.stringify(anonymous))).toMatchObject({ externalId: /^line:u-/ })
    delete anonymous.uuid
    expect(parseLogLine(JSON.stringify(anonymous))).toBe('malformed')
    // Older Claude Code versions wrote the cost too.
    const costed = JSON.parse(assistant({ id: 'msg_3' })) as Record<string, unknown>
    costed.costUSD = 0.0123
    expect(parseLogLine(JSON.stringify(costed))).toMatchObject({ costMicros: 12_300 })
  })
})
