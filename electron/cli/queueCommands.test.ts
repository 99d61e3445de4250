// `factory enqueue` and `factory drain` as a person (or a remote agent's loop) types them.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fixtureCommand, tempDirs } from '../core/software/runs/testing'
import { parseQueueSpec } from '../core/software/queue/specFile'
import { cliOn, type Json } from './testing'

const dirs = tempDirs()
let dir: string
let db: string
let queue: string
beforeEach(() => {
  dir = dirs.make('factory-cli-queue-')
  db = join(dir, 'ledger.db')
  queue = join(dir, 'alice-queue')
})
afterEach(() => dirs.removeAll())

const factory = cliOn(() => db)

async function enqueue(title: string): Promise<Json> {
  await factory('agent', 'add', 'alice', '--queue', queue)
  const spec = (
    await factory('spec', 'add', '--title', title, '--body', 'Make it.', '--json')
  ).json().id as string
  const queued = await factory('enqueue', spec, '--target', 'alice', '--json')
  expect(queued.code).toBe(0)
  return queued.json()
}

const results = (folder: string): string[] => readdirSync(join(queue, folder)).sort()

describe('factory enqueue', () => {
  it('writes the spec into the agent’s queue, frontmatter and all', async () => {
    const title = `It's "done" --- key: value #1`
    const run = await enqueue(title)
    expect(run).toMatchObject({ id: 'r_1', state: 'queued', agent: 'alice' })
    const [name] = readdirSync(join(queue, 'new'))
    expect(name).toMatch(/^r_1-[0-9a-z]+\.md$/)
    expect(parseQueueSpec(readFileSync(join(queue, 'new', name!), 'utf8'))).toMatchObject({
      ok: true,
      item: { run: 'r_1', spec: 's_1', title, agent: 'alice' },
      body: `# ${title}\n\nMake it.\n`,
    })
    for (const folder of ['tmp', 'cur', 'done', 'failed']) expect(results(folder)).toEqual([])
  })

  it('refuses an agent without a queue, and says how to give it one', async () => {
    await factory('agent', 'add', 'bob')
    await factory('spec', 'add', '--title', 'x')
    // Paused, too: the missing queue is still what is said, as it is the thing to fix first.
    await factory('agent', 'pause', 'bob')
    const refused = await factory('enqueue', 's_1', '--target', 'bob')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain(
      'bob has no queue; give it one: factory agent set bob --queue DIR',
    )
  })
})

describe('factory drain', () => {
  it('frees the lane for the next enqueue once a result is back, with no app open', async () => {
    await enqueue('First')
    const drained = await factory(
      'drain',
      '--queue',
      queue,
      '--once',
      '--',
      ...fixtureCommand('done'),
    )
    expect(drained.code).toBe(0)
    // alice takes one run at a time; the first one's result frees her without `factory runs`.
    await factory('spec', 'add', '--title', 'Second')
    const second = await factory('enqueue', 's_2', '--target', 'alice', '--json')
    expect(second.code).toBe(0)
    expect(second.json()).toMatchObject({ id: 'r_2', state: 'queued' })
    expect((await factory('run', 'show', 'r_1', '--json')).json().state).toBe('done')
  })

  it('names the queue to drain once, and an agent it does not know as not found', async () => {
    const both = await factory('drain', '--queue', queue, '--agent', 'alice', '--once')
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('give --queue DIR or --agent NAME, not both')
    const nobody = await factory('drain', '--agent', 'nobody', '--once', '--json')
    expect(nobody.code).toBe(1)
    expect(JSON.parse(nobody.stderr).error.code).toBe('AgentNotFound')
  })

  it('runs COMMAND under the run contract and writes a shipped result with its artifact', async () => {
    const run = await enqueue('Hello page')
    const workspace = dirs.make('factory-ws-')
    const command = fixtureCommand('ship', '1')
    // --queue needs no ledger: point FACTORY_DB somewhere new and see that nothing appears there.
    db = join(dir, 'never.db')
    const drained = await factory(
      'drain',
      '--queue',
      queue,
      '--once',
      '--workspace',
      workspace,
      '--',
      ...command,
    )
    expect(drained.code).toBe(0)
    expect(drained.stdout).toMatch(/^r_1-[0-9a-z]+ shipped\n$/)
    expect(existsSync(db)).toBe(false)
    const id = drained.stdout.split(' ')[0]!
    expect(results('done')).toEqual([id, `${id}.result.json`])
    expect(results('cur')).toEqual([])
    const result = JSON.parse(readFileSync(join(queue, 'done', `${id}.result.json`), 'utf8'))
    expect(result).toMatchObject({ id, run: run.id, outcome: 'shipped', exitCode: 0, signal: null })
    // The spec file it read was the spec, its run id the dashboard's (it signs hello.txt with it).
    expect(result.artifact.changelog).toBe('## 1.0.0\n\n- Hello page')
    expect(readFileSync(join(workspace, 'hello.txt'), 'utf8')).toBe(`made by ${run.id}\n`)
    expect(readdirSync(join(queue, 'done', id)).sort()).toEqual([
      '1-shot.png',
      'artifact.json',
      'output.log',
    ])
    expect(
      JSON.parse(readFileSync(join(queue, 'done', id, 'artifact.json'), 'utf8')),
    ).toMatchObject({ name: 'hello', screenshots: ['1-shot.png'] })

    // Back on the dashboard, the next look at the runs ingests it.
    db = join(dir, 'ledger.db')
    const runs = (await factory('runs', '--json')).json()
    expect(runs[0]).toMatchObject({ id: 'r_1', state: 'shipped', artifact: null })
    expect((await factory('run', 'show', 'r_1', '--json')).json().artifact).toMatchObject({
      name: 'hello',
    })
  })

  it('puts a failing COMMAND’s result in failed/ and exits 1 with --once', async () => {
    await enqueue('Broken')
    const drained = await factory(
      'drain',
      '--agent',
      'alice',
      '--once',
      '--',
      ...fixtureCommand('fail'),
    )
    expect(drained.code).toBe(1)
    expect(drained.stdout).toMatch(/ failed\n$/)
    const [json] = results('failed').filter((name) => name.endsWith('.json'))
    const result = JSON.parse(readFileSync(join(queue, 'failed', json!), 'utf8'))
    expect(result).toMatchObject({
      outcome: 'failed',
      exitCode: 3,
      failure: { class: 'crashed', message: 'exited with code 3' },
    })
    expect(result.logTail).toContain('error: the build failed')
    expect(results('done')).toEqual([])
  })

  it('without a COMMAND prints the claimed path for an external loop', async () => {
    await enqueue('For my own loop')
    const drained = await factory('drain', '--queue', queue, '--once')
    expect(drained.code).toBe(0)
    const path = drained.stdout.trim()
    expect(path).toBe(join(queue, 'cur', readdirSync(join(queue, 'cur'))[0]!))
    expect(results('new')).toEqual([])
    // Nothing left: --until-empty returns at once, printing nothing.
    const empty = await factory('drain', '--queue', queue, '--once', '--until-empty')
    expect(empty).toMatchObject({ code: 0, stdout: '' })
  })

  it('says what is wrong with how it was called', async () => {
    const usage = async (...argv: string[]) => {
      const answer = await factory('drain', ...argv)
      expect(answer.code).toBe(2)
      return answer.stderr
    }
    expect(await usage()).toContain('give --queue DIR or --agent NAME')
    expect(await usage('--queue', queue, '--agent', 'alice')).toContain('give --queue DIR or')
    expect(await usage('--queue', queue, 'node', 'x.js')).toContain('a command goes after --')
    expect(await usage('--queue', queue, '--')).toContain('nothing after --')
    expect(await usage('--queue', queue, '--stale', 'soon')).toContain('--stale takes a duration')
    expect(await usage('--queue', queue, '--json')).toContain('add --once')
    await factory('agent', 'add', 'bob')
    expect(await usage('--agent', 'bob')).toContain('bob has no queue')
  })
})
