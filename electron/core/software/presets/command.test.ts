import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { commandPreset } from './command'
import { FIXTURES, git, invocationContext, usePresetRuns } from './fixtures/harness'

const run = usePresetRuns()

const node = process.execPath
const printArgv = 'process.stdout.write(JSON.stringify(process.argv.slice(1)))'

describe('command invocation', () => {
  it('substitutes placeholders inside each element, once, literally', () => {
    const specFile = join('/runs/r1', '$(touch pwned)', 'a b', 'spec.md')
    const runId = `"; rm -rf ~ # $(touch /tmp/x) {specFile}`
    const context = invocationContext({ bin: '/opt/agent', specFile, prompt: 'unused', runId })
    const { outputDir } = context
    const invocation = commandPreset.invocation({
      ...context,
      command: [
        'agent',
        '--spec={specFile}',
        '{runId}',
        '{outputDir}/out',
        '{unknown} {RUNID}',
        '{runId}{runId}',
        '',
      ],
    })
    expect(invocation.file).toBe('/opt/agent')
    expect(invocation.args).toEqual([
      `--spec=${specFile}`,
      runId,
      `${outputDir}/out`,
      '{unknown} {RUNID}',
      `${runId}${runId}`,
      '',
    ])
    expect(invocation.stdin).toBeUndefined()
    expect(commandPreset.invocation({ ...context, prompt: '' })).toEqual({
      file: '/opt/agent',
      args: [],
    })
  })

  it('hostile values arrive at the program as single literal argv elements, and run nothing', async () => {
    const runId = `x"; touch pwned-1 #`
    const fed = await run(commandPreset, {
      fixture: node,
      runId,
      command: [
        node,
        '-e',
        printArgv,
        '{specFile}',
        '{runId}',
        '$(touch pwned-2)',
        '`touch pwned-3`',
      ],
    })
    expect(fed.finish).toBeUndefined()
    const text = fed.entries.map((e) => (e.kind === 'raw' ? e.text : '')).join('')
    expect(JSON.parse(text)).toEqual([
      join(fed.dir, 'spec.md'),
      runId,
      '$(touch pwned-2)',
      '`touch pwned-3`',
    ])
    expect(readdirSync(fed.cwd).filter((f) => f.startsWith('pwned'))).toEqual([])
    expect(existsSync('/tmp/x')).toBe(false)
  })
})

describe('command parser on fake agents', () => {
  it('every line is raw; exit 0 is success even for garbage (never bad_output)', async () => {
    const fed = await run(commandPreset, {
      fixture: node,
      scenario: 'bad_json',
      command: [node, FIXTURES.claude],
    })
    expect(fed.finish).toBeUndefined()
    expect(fed.entries.length).toBeGreaterThan(0)
    expect(fed.entries.every((e) => e.kind === 'raw')).toBe(true)
    expect(fed.usage.turns).toBe(0)
  })

  it('a shipping agent run as a plain command', async () => {
    const fed = await run(commandPreset, { fixture: node, command: [node, FIXTURES.codex] })
    expect(fed.finish).toBeUndefined()
    expect(existsSync(join(fed.outputDir, 'artifact.json'))).toBe(true)
  })

  it('ship commits hello.txt when its cwd is a git work tree', async () => {
    const fed = await run(commandPreset, {
      fixture: node,
      command: [node, FIXTURES.gptme],
      git: true,
    })
    expect(fed.finish).toBeUndefined()
    expect(git(fed.cwd, 'log', '--format=%s')).toMatch(/^Add hello\.txt for Hello/)
    expect(git(fed.cwd, 'status', '--porcelain')).toBe('')
  })

  it('non-zero exits: classified by stderr when it says why, else crashed', async () => {
    const limited = await run(commandPreset, {
      fixture: node,
      scenario: 'rate_limit',
      command: [node, FIXTURES.gptme],
    })
    expect(limited.finish?.class).toBe('rate_limited')
    const crash = await run(commandPreset, {
      fixture: node,
      scenario: 'crash',
      command: [node, FIXTURES.codex],
    })
    expect(crash.finish).toEqual({ class: 'crashed', message: 'exited with code 3' })
    const killed = await run(commandPreset, {
      fixture: node,
      scenario: 'hang',
      command: [node, FIXTURES.claude],
      killOnFirstLine: 'SIGTERM',
    })
    expect(killed.finish).toEqual({ class: 'crashed', message: 'killed by SIGTERM' })
  })

  it('keeps blank lines and never throws', () => {
    const parser = commandPreset.parser()
    expect(parser.stdout('').entries).toEqual([{ kind: 'raw', stream: 'stdout', text: '' }])
    expect(parser.stderr('').entries).toEqual([{ kind: 'raw', stream: 'stderr', text: '' }])
    expect(parser.stdout('x'.repeat(200_000)).entries[0]?.kind).toBe('raw')
  })
})
