// `factory agent add|set --claude-logs --usage-report …` and `factory usage sync`, end to end
// through the CLI on a real ledger, real log files and a local replay of the usage endpoint.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  RATE_LIMITED,
  reportAnswer,
  startReplayServer,
  type ReplayServer,
} from '../core/software/usageSources/replayServer'
import { tempDir } from '../core/testing'
import { cliOn } from './testing'

const TOKEN = 'sk-ant-oat01-cli-test'
let dir: string
let projects: string
let credentials: string
let replay: ReplayServer
let cleanup: () => void

beforeEach(async () => {
  ;({ dir, cleanup } = tempDir())
  projects = join(dir, 'projects')
  mkdirSync(join(projects, '-home-me-site'), { recursive: true })
  credentials = join(dir, 'credentials.json')
  writeFileSync(credentials, JSON.stringify({ claudeAiOauth: { accessToken: TOKEN } }))
  replay = await startReplayServer(TOKEN)
  replay.answer = { status: 200, json: answerFromNow() }
})
afterEach(async () => {
  await replay.close()
  cleanup()
})

const factory = cliOn(() => join(dir, 'ledger.db'))

const sources = async (name = 'bob') =>
  (
    JSON.parse((await factory('agent', 'list', '--json')).stdout) as {
      name: string
      usageSources: unknown
    }[]
  ).find((agent) => agent.name === name)?.usageSources

/** The real answer's shape, with reset times ahead of the clock this CLI reads. */
function answerFromNow() {
  const ahead = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString()
  return reportAnswer({
    five_hour: { utilization: 24, resets_at: ahead(3) },
    seven_day: { utilization: 36, resets_at: ahead(100) },
    seven_day_sonnet: { utilization: 1, resets_at: ahead(100) },
  })
}

/** One assistant message, as Claude Code logs it, `output` tokens a minute ago. */
function logMessage(id: string, output: number): void {
  writeFileSync(
    join(projects, '-home-me-site', `${id}.jsonl`),
    JSON.stringify({
      cwd: '/home/me/site',
      sessionId: id,
      message: {
        id: `msg_${id}`,
        role: 'assistant',
        model: 'claude-sonnet-4-20250514',
        usage: {
          input_tokens: 0,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
          output_tokens: output,
        },
      },
      requestId: `req_${id}`,
      type: 'assistant',
      uuid: `u_${id}`,
      timestamp: new Date(Date.now() - 60_000).toISOString(),
    }) + '\n',
  )
}

describe('factory agent add|set usage source flags', () => {
  it('switch each source on and off, merged into what the agent has', async () => {
    expect((await factory('agent', 'add', 'bob', '--claude-logs', projects)).code).toBe(0)
    expect(await sources()).toEqual({ claudeLogs: { enabled: true, dir: projects } })

    const set = await factory(
      'agent',
      'set',
      'bob',
      '--usage-report',
      'on',
      '--usage-report-url',
      replay.baseUrl,
      '--credentials',
      credentials,
    )
    expect(set.code).toBe(0)
    expect(await sources()).toEqual({
      claudeLogs: { enabled: true, dir: projects },
      usageReport: { enabled: true, baseUrl: replay.baseUrl, credentialsFile: credentials },
    })

    await factory('agent', 'set', 'bob', '--claude-logs', 'off')
    await factory('agent', 'set', 'bob', '--usage-report', 'off')
    expect(await sources()).toEqual({
      claudeLogs: { enabled: false, dir: projects },
      usageReport: { enabled: false, baseUrl: replay.baseUrl, credentialsFile: credentials },
    })
    await factory('agent', 'set', 'bob', '--claude-logs', 'on')
    expect(await sources()).toMatchObject({ claudeLogs: { enabled: true, dir: projects } })
  })

  it('take relative paths from where the command runs, and the defaults when not given', async () => {
    await factory('agent', 'add', 'bob', '--claude-logs', 'on', '--credentials', 'creds.json')
    expect(await sources()).toEqual({
      claudeLogs: { enabled: true, dir: null },
      usageReport: { enabled: false, baseUrl: null, credentialsFile: resolve('creds.json') },
    })
  })

  it('refuse what they cannot read, and change nothing', async () => {
    await factory('agent', 'add', 'bob')
    const maybe = await factory('agent', 'set', 'bob', '--usage-report', 'maybe')
    expect(maybe.code).toBe(2)
    expect(maybe.stderr).toContain('--usage-report takes on or off, not "maybe"')
    const url = await factory('agent', 'set', 'bob', '--usage-report-url', 'ftp://x')
    expect(url.code).toBe(1)
    expect(url.stderr).toContain('a base URL starts with http:// or https://')
    expect(await sources()).toEqual({})
  })
})

describe('factory usage sync', () => {
  beforeEach(async () => {
    await factory(
      'agent',
      'add',
      'bob',
      '--quota',
      '5h:tokens:1000',
      '--claude-logs',
      projects,
      '--usage-report',
      'on',
      '--usage-report-url',
      replay.baseUrl,
      '--credentials',
      credentials,
    )
  })

  it('imports the logs and reads the report, and `factory usage` shows both figures', async () => {
    logMessage('s1', 100)
    const synced = await factory('usage', 'sync')
    expect(synced.code).toBe(0)
    expect(synced.stdout).toContain('bob · Claude logs: 1 message added, 1 file read')
    expect(synced.stdout).toMatch(/bob · usage report: 5h: 24%, resets \d\d:\d\d \(in /)
    // Again: nothing new.
    expect((await factory('usage', 'sync')).stdout).toContain('0 messages added, 0 files read')

    const usage = (await factory('usage')).stdout
    // The ledger counts 10%; the subscription says 24% and that is what holds the lane.
    expect(usage).toContain('5h tokens: 100 of 1k tokens (10%); the subscription reports 24%')
    // A reported window no quota window matches is still shown.
    expect(usage).toMatch(/subscription 7d: 36%, resets in 4d\d+h/)
    expect(usage).toMatch(/subscription 7d Sonnet: 1%/)
  })

  it('answers JSON with --json and exits 1 when a source failed', async () => {
    replay.answer = RATE_LIMITED
    const synced = await factory('usage', 'sync', '--agent', 'bob', '--json')
    expect(synced.code).toBe(1)
    const results = JSON.parse(synced.stdout) as { source: string; error: string | null }[]
    expect(results.map((r) => r.source)).toEqual(['claude-logs', 'usage-report'])
    expect(results[0]!.error).toBeNull()
    expect(results[1]!.error).toMatch(/rate limiting usage reports \(429\)/)
    replay.answer = { status: 200, json: answerFromNow() }
    expect((await factory('usage', 'sync')).code).toBe(0)
  })

  it('says when no source is on, and refuses an unknown agent', async () => {
    await factory('agent', 'add', 'alice')
    const none = await factory('usage', 'sync', '--agent', 'alice')
    expect(none.code).toBe(0)
    expect(none.stdout).toContain('No usage sources are on for alice')
    const nobody = await factory('usage', 'sync', '--agent', 'nobody')
    expect(nobody.code).toBe(1)
    expect(nobody.stderr).toContain('factory: no agent named "nobody"')
  })
})
