// Dispatch end to end: real supervisors, the fake agent CLIs through their presets, a real ledger.
// What is proven here is the wiring (no shell anywhere, preset → supervisor → ledger, refusals that
// write nothing, what an agent leaves in its output folder); the parsers have their own tests.
import { createHash, randomUUID } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { RunnerPreset } from '../../../../shared/domain'
import type { Run, TranscriptEntry, Usage } from '../../../../shared/runs'
import type { Engine } from '../../engine'
import { tempDir } from '../../testing'
import { FIXTURE_AGENT, fixtureCommand, runEngine, waitForEnd } from './testing'

const FAKE_CLI = {
  claude: fileURLToPath(new URL('../presets/fixtures/fake-claude.mjs', import.meta.url)),
  codex: fileURLToPath(new URL('../presets/fixtures/fake-codex.mjs', import.meta.url)),
  gptme: fileURLToPath(new URL('../presets/fixtures/fake-gptme.mjs', import.meta.url)),
}

/** Everything each test started, stopped and removed afterwards even when it failed. */
const cleanups: (() => void)[] = []
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup()
})

function newEngine(env: NodeJS.ProcessEnv = {}): { engine: Engine; dir: string } {
  const started = runEngine(env)
  cleanups.push(started.cleanup)
  return started
}

function addSpec(engine: Engine, title: string, body = 'Say hello.'): string {
  return engine.call('spec/add', { title, body }, 'test').id
}

function dispatch(engine: Engine, spec: string, agent: string): Run {
  return engine.call('run/dispatch', { spec, agent }, 'test')
}

function transcript(engine: Engine, run: Run): TranscriptEntry[] {
  return engine.call('run/transcript', { id: run.id, limit: 1000 }, 'test').entries
}

const runDir = (engine: Engine, run: Run): string => join(engine.runs.filesDir, 'runs', run.id)
const specFileOf = (engine: Engine, run: Run): string => join(runDir(engine, run), 'spec.md')

describe('spec text never reaches a shell', () => {
  // Should a regression ever hand a title to a shell, `rm -rf ~` must hit a throwaway folder: this
  // worker process (vitest forks one per file) and every run it starts get a fake HOME.
  const realHome = process.env.HOME
  let home: { dir: string; cleanup: () => void }
  let sentinel: string
  beforeAll(() => {
    home = tempDir('factory-home-')
    sentinel = join(home.dir, 'still-here')
    writeFileSync(sentinel, '')
    process.env.HOME = home.dir
  })
  afterAll(() => {
    process.env.HOME = realHome
    home.cleanup()
  })

  it('titles like $(touch …) and "; rm -rf ~ # arrive verbatim in the spec file, the log and one argv element', async () => {
    const marker = join(tmpdir(), `pwned-${randomUUID()}`)
    const titles = [`$(touch ${marker})`, `"; rm -rf ~ #`]
    const body = `Run \`touch ${marker}\` with $HOME and \${HOME}; then $(touch ${marker}).`
    const { engine } = newEngine({ HOME: home.dir, FAKE_AGENT_SCENARIO: 'ship' })
    engine.call(
      'agent/add',
      {
        name: 'bob',
        runner: 'command',
        command: fixtureCommand('echo', '{specFile}'),
        maxConcurrent: 2,
      },
      'test',
    )
    engine.call(
      'agent/add',
      { name: 'claude', runner: 'claude', bin: FAKE_CLI.claude, maxConcurrent: 2 },
      'test',
    )
    const started = titles.flatMap((title) =>
      ['bob', 'claude'].map((agent) => dispatch(engine, addSpec(engine, title, body), agent)),
    )
    const runs = await Promise.all(started.map((run) => waitForEnd(engine, run.id)))

    for (const [i, run] of runs.entries()) {
      const title = titles[Math.floor(i / 2)]!
      const specFile = specFileOf(engine, run)
      const specText = readFileSync(specFile, 'utf8')
      expect(specText).toBe(`# ${title}\n\n${body}\n`)
      const log = engine.call('run/log', { id: run.id }, 'test').text
      if (run.agent === 'bob') {
        expect(run).toMatchObject({ state: 'done', failure: null })
        // The spec file's path is one argv element, whatever the placeholder sat in.
        expect(run.argv).toEqual([process.execPath, FIXTURE_AGENT, 'echo', specFile])
        expect(log).toBe(specText)
      } else {
        expect(run).toMatchObject({ state: 'shipped', failure: null })
        // The prompt is one element after `--`, names the spec file and carries none of its text.
        const prompt = run.argv.at(-1)!
        expect(run.argv.at(-2)).toBe('--')
        expect(prompt).toContain(specFile)
        expect(prompt).not.toContain(title)
        // The fake CLI echoes the argv it received: the same elements, the prompt not split.
        const init = JSON.parse(log.split('\n')[0]!) as { argv: string[] }
        expect(init.argv).toEqual(run.argv.slice(1))
        // It also echoes the spec's title, size and hash: the bytes arrived untouched. The raw log
        // is stream-json, so there the title is JSON-escaped; the transcript has it as text.
        const sha256 = createHash('sha256').update(specText).digest('hex')
        const line = `Read spec "${title}" (${Buffer.byteLength(specText)} bytes, sha256 ${sha256})`
        expect(transcript(engine, run)).toContainEqual({ kind: 'text', text: line })
        expect(log).toContain(JSON.stringify(line).slice(1, -1))
      }
    }
    expect(existsSync(marker)).toBe(false)
    expect(existsSync(sentinel)).toBe(true)
  })
})

describe('runner presets through the whole lifecycle (fake CLIs)', () => {
  it('ship, quota, rate limit and bad output with claude; codex and gptme ship; usage exact in the ledger', async () => {
    const cases: { runner: Exclude<RunnerPreset, 'command'>; scenario: string }[] = [
      { runner: 'claude', scenario: 'ship' },
      { runner: 'claude', scenario: 'quota' },
      { runner: 'claude', scenario: 'rate_limit' },
      { runner: 'claude', scenario: 'bad_json' },
      { runner: 'codex', scenario: 'ship' },
      { runner: 'gptme', scenario: 'done' },
      { runner: 'gptme', scenario: 'ship' },
    ]
    // The scenario is chosen through the runs' environment, so each case has its own engine; they
    // all run at once.
    const results = await Promise.all(
      cases.map(async ({ runner, scenario }) => {
        // gptme keeps its conversation log (usage and cost) under GPTME_LOGS_HOME.
        const logs = runner === 'gptme' ? tempDir('factory-gptme-logs-') : undefined
        if (logs) cleanups.push(logs.cleanup)
        const { engine } = newEngine({
          FAKE_AGENT_SCENARIO: scenario,
          ...(logs ? { GPTME_LOGS_HOME: logs.dir } : {}),
        })
        engine.call('agent/add', { name: 'bob', runner, bin: FAKE_CLI[runner] }, 'test')
        const run = dispatch(engine, addSpec(engine, `Hello ${scenario}`), 'bob')
        return { engine, run: await waitForEnd(engine, run.id) }
      }),
    )
    const [claudeShip, quota, rateLimited, badJson, codexShip, gptmeDone, gptmeShip] = results.map(
      (r) => r.run,
    )

    const claudeUsage: Usage = {
      inputTokens: 22,
      outputTokens: 35,
      cacheReadTokens: 300,
      cacheWriteTokens: 20,
      costMicros: 12_346, // $0.0123456, rounded to whole micro-dollars
      turns: 2,
    }
    expect(claudeShip).toMatchObject({
      state: 'shipped',
      failure: null,
      exitCode: 0,
      usage: claudeUsage,
      artifact: { name: 'hello-ship', version: '0.1.0' },
      stage: 'review',
    })
    // The usage rows (what quota windows add up) sum to exactly the run's total.
    const usageRows = (engine: Engine, run: Run): unknown =>
      engine.ledger.sqlite
        .prepare(
          `SELECT sum(input_tokens) AS inputTokens, sum(output_tokens) AS outputTokens,
          sum(cache_read_tokens) AS cacheReadTokens, sum(cache_write_tokens) AS cacheWriteTokens,
          sum(cost_micros) AS costMicros, sum(turns) AS turns FROM usage WHERE run_id = ?`,
        )
        .get(run.id)
    expect(usageRows(results[0]!.engine, claudeShip!)).toEqual(claudeUsage)
    expect(Number.isInteger(claudeShip!.usage.costMicros)).toBe(true)

    expect(quota).toMatchObject({
      state: 'failed',
      exitCode: 1,
      failure: { class: 'quota_exhausted' },
    })
    expect(quota!.failure!.resetAt).toBeGreaterThan(quota!.createdAt)
    expect(rateLimited).toMatchObject({ state: 'failed', failure: { class: 'rate_limited' } })
    expect(badJson).toMatchObject({
      state: 'failed',
      exitCode: 0,
      failure: { class: 'bad_output' },
    })

    expect(codexShip).toMatchObject({
      state: 'shipped',
      failure: null,
      usage: {
        inputTokens: 24_763 - 24_448,
        outputTokens: 122,
        cacheReadTokens: 24_448,
        cacheWriteTokens: 0,
        costMicros: 0,
        turns: 1,
      },
      artifact: { name: 'hello-ship' },
    })
    // gptme prints turns only; tokens and cost come from its conversation log after exit.
    const gptmeUsage: Usage = {
      inputTokens: 28,
      outputTokens: 245,
      cacheReadTokens: 8300,
      cacheWriteTokens: 4300,
      costMicros: 17_376, // $0.0123456 + $0.0041 + $0.0009299999999999999, per message
      turns: 3,
    }
    expect(gptmeDone).toMatchObject({ state: 'done', failure: null, artifact: null })
    expect(gptmeDone!.usage).toEqual(gptmeUsage)
    expect(gptmeShip).toMatchObject({
      state: 'shipped',
      failure: null,
      usage: gptmeUsage,
      artifact: { name: 'hello-ship' },
    })
    expect(usageRows(results[6]!.engine, gptmeShip!)).toEqual(gptmeUsage)
  })
})

describe('refusals and what an agent leaves behind', () => {
  it('refuses a claude agent whose CLI is not found, listing the folders searched, and writes nothing', (ctx) => {
    const { dir: emptyPath, cleanup } = tempDir('factory-path-')
    cleanups.push(cleanup)
    const { engine, dir } = newEngine({ PATH: emptyPath })
    const searched = engine.runs.searchDirs()
    // The common install folders are searched too: on a machine with claude in one, skip.
    if (searched.some((folder) => existsSync(join(folder, 'claude')))) return ctx.skip()
    engine.call('agent/add', { name: 'bob', runner: 'claude' }, 'test')
    const spec = addSpec(engine, 'Hello')
    const before = engine.call('log/list', {}, 'test')

    const refused = engine.invoke('run/dispatch', { spec, agent: 'bob' }, 'test')
    expect(refused).toMatchObject({ ok: false, error: { code: 'AgentCliMissing' } })
    const { message } = (refused as { error: { message: string } }).error
    expect(message).toContain(`Searched: ${emptyPath}, `)
    expect(message).toContain('factory agent set bob --bin /path/to/claude')

    expect(engine.call('run/list', {}, 'test')).toEqual([])
    expect(existsSync(join(dir, 'runs'))).toBe(false)
    expect(engine.call('log/list', {}, 'test')).toEqual(before)
    expect(engine.call('spec/get', { id: spec }, 'test')).toMatchObject({
      stage: 'idea',
      status: 'new',
      agent: null,
    })
  })

  it('fails bad_output when artifact.json points a screenshot outside the run folders, and copies nothing', async () => {
    const { engine } = newEngine()
    const cases = [
      ['shot.png', '../../etc/passwd'], // the valid first one must not be copied either
      ['/etc/passwd'],
      ['link.png'], // inside the output folder, but a symlink to /etc/passwd
    ]
    const started = cases.map((paths, i) => {
      const agent = `bob${i}`
      engine.call(
        'agent/add',
        { name: agent, runner: 'command', command: fixtureCommand('badartifact', ...paths) },
        'test',
      )
      return dispatch(engine, addSpec(engine, `Bad artifact ${i}`), agent)
    })
    const runs = await Promise.all(started.map((run) => waitForEnd(engine, run.id)))
    for (const [i, run] of runs.entries()) {
      const bad = cases[i]!.at(-1)!
      expect(run).toMatchObject({
        state: 'failed',
        exitCode: 0,
        artifact: null,
        failure: {
          class: 'bad_output',
          message: `artifact.json: screenshot "${bad}" is outside the run's output and work folders`,
        },
      })
      expect(existsSync(join(engine.runs.filesDir, 'artifacts', run.id))).toBe(false)
      expect(engine.call('spec/get', { id: run.specId }, 'test').status).toBe('failed')
    }
    const count = engine.ledger.sqlite.prepare('SELECT count(*) AS n FROM artifacts').get()
    expect(count).toEqual({ n: 0 })
  })

  it('a malformed line in progress.jsonl is a system note in the transcript, and the run goes on', async () => {
    const { engine } = newEngine()
    engine.call(
      'agent/add',
      { name: 'bob', runner: 'command', command: fixtureCommand('badprogress') },
      'test',
    )
    const run = await waitForEnd(engine, dispatch(engine, addSpec(engine, 'Garbled'), 'bob').id)
    expect(run).toMatchObject({ state: 'done', failure: null, stage: 'build' })
    expect(run.timeline.map((s) => `${s.stage}:${s.status}`)).toEqual([
      'scout:started',
      'scout:done',
      'build:started',
    ])
    const entries = transcript(engine, run)
    expect(entries).toContainEqual({
      kind: 'system',
      text: 'progress.jsonl: ignored a malformed line: this is not json {',
    })
    expect(entries).toContainEqual({
      kind: 'system',
      text: 'progress.jsonl: ignored a malformed line: {"status":"no stage"}',
    })
    expect(entries).toContainEqual(expect.objectContaining({ kind: 'stage', stage: 'build' }))
  })
})
