// Reviewing runs that worked in a real git repository: a worktree per spec on factory/<slug>,
// retries and follow-ups in the same worktree, diff, merge (and a refused one) and discard.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Run } from '../../../../shared/runs'
import type { Engine } from '../../engine'
import { tempDir } from '../../testing'
import { fixtureCommand, runEngine, waitForEnd, git, productRepo } from './testing'

let engine: Engine
let repo: string
const cleanups: (() => void)[] = []

beforeEach(() => {
  const started = runEngine()
  engine = started.engine
  cleanups.push(started.cleanup)
  const folder = productRepo()
  cleanups.push(folder.cleanup)
  repo = folder.dir
})
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup()
})

function addAgent(workspace = repo, scenario = 'ship'): void {
  engine.call(
    'agent/add',
    { name: 'bob', runner: 'command', command: fixtureCommand(scenario), workspace },
    'test',
  )
}

async function shipped(start: () => Run): Promise<Run> {
  const run = await waitForEnd(engine, start().id)
  expect(run).toMatchObject({ state: 'shipped', failure: null })
  return run
}

async function shipOnce(title = 'Say hello'): Promise<Run> {
  addAgent()
  const spec = engine.call('spec/add', { title }, 'test').id
  return shipped(() => engine.call('run/dispatch', { spec, agent: 'bob' }, 'test'))
}

const refusal = (op: string, input: object) =>
  engine.invoke(op, input, 'test') as { ok: false; error: { code: string; message: string } }

describe('a run in a git workspace', () => {
  it('works in a worktree on factory/<slug>; retry and request-changes continue there', async () => {
    const first = await shipOnce()
    const worktree = join(engine.runs.filesDir, 'worktrees', 'say-hello-s_1')
    expect(first).toMatchObject({
      workspaceKind: 'worktree',
      cwd: worktree,
      branch: 'factory/say-hello',
      baseRef: 'main',
      followUpOf: null,
    })
    expect(git(worktree, 'symbolic-ref', '--short', 'HEAD')).toBe('factory/say-hello')
    expect(git(worktree, 'log', '-1', '--format=%s')).toBe(`hello from ${first.id}`)
    expect(readFileSync(join(worktree, 'hello.txt'), 'utf8')).toBe(`made by ${first.id}\n`)
    // The user's own checkout is untouched.
    expect(git(repo, 'symbolic-ref', '--short', 'HEAD')).toBe('main')
    expect(existsSync(join(repo, 'hello.txt'))).toBe(false)

    const retry = await shipped(() => engine.call('run/retry', { id: first.id }, 'test'))
    expect(retry).toMatchObject({ cwd: worktree, branch: 'factory/say-hello', followUpOf: null })
    expect(readFileSync(join(worktree, 'hello.txt'), 'utf8')).toBe(
      `made by ${first.id}\nmade by ${retry.id}\n`,
    )

    const comments = 'Please also say goodbye.\n\n- and mind the `$HOME` folder'
    const followUp = await shipped(() =>
      engine.call('run/request-changes', { id: retry.id, comments }, 'test'),
    )
    expect(followUp).toMatchObject({
      followUpOf: retry.id,
      cwd: worktree,
      branch: 'factory/say-hello',
      comments,
    })
    expect(engine.call('run/get', { id: retry.id }, 'test').comments).toBeNull()
    const specFile = readFileSync(
      join(engine.runs.filesDir, 'runs', followUp.id, 'spec.md'),
      'utf8',
    )
    expect(specFile.startsWith('# Say hello\n')).toBe(true)
    expect(specFile.endsWith(`\n## Reviewer comments (requested changes)\n\n${comments}\n`)).toBe(
      true,
    )
    expect(git(worktree, 'log', '--format=%s', 'main..factory/say-hello').split('\n')).toEqual([
      `hello from ${followUp.id}`,
      `hello from ${retry.id}`,
      `hello from ${first.id}`,
    ])
    const dispatched = engine
      .call('log/list', {}, 'test')
      .filter((e) => e.type === 'spec.dispatched')
    expect(dispatched.at(-1)!.payload).toMatchObject({ run: followUp.id, followUpOf: retry.id })
  })

  it('diffs against the base and merges into it', async () => {
    const run = await shipOnce()
    const diff = engine.call('run/diff', { id: run.id }, 'test')
    expect(diff).toMatchObject({
      runId: run.id,
      branch: 'factory/say-hello',
      baseRef: 'main',
      files: [{ path: 'hello.txt', status: 'added', additions: 1, deletions: 0 }],
      truncated: false,
    })
    expect(diff.patch).toContain(`+made by ${run.id}`)

    const merged = engine.call('run/merge', { id: run.id }, 'test')
    expect(merged).toEqual({ merged: true, commit: git(repo, 'rev-parse', 'main') })
    expect(git(repo, 'show', 'main:hello.txt')).toBe(`made by ${run.id}`)
    expect(readFileSync(join(repo, 'hello.txt'), 'utf8')).toBe(`made by ${run.id}\n`)
    expect(git(repo, 'log', '-1', '--format=%s')).toBe('Merge factory/say-hello (spec s_1)')
    const event = engine.call('log/list', {}, 'test').at(-1)!
    expect(event).toMatchObject({
      type: 'run.merged',
      subject: run.id,
      payload: { spec: 's_1', branch: 'factory/say-hello', into: 'main', commit: merged.commit },
    })
    // The run says so, for the run view to show it and stop offering a second merge.
    expect(engine.call('run/get', { id: run.id }, 'test').review).toMatchObject({
      action: 'merged',
      runId: run.id,
      commit: merged.commit,
    })
    // Nothing is left to lose once merged.
    expect(engine.call('run/pending', { id: run.id }, 'test')).toEqual({
      uncommitted: [],
      unmergedCommits: [],
    })
  })

  it('refuses a merge that conflicts, names the file and leaves the repo as it was', async () => {
    const run = await shipOnce()
    writeFileSync(join(repo, 'hello.txt'), 'hello from the user\n')
    git(repo, 'add', 'hello.txt')
    git(repo, 'commit', '-q', '-m', 'my own hello')
    const head = git(repo, 'rev-parse', 'HEAD')

    const refused = refusal('run/merge', { id: run.id })
    expect(refused).toMatchObject({ ok: false, error: { code: 'MergeRefused' } })
    expect(refused.error.message).toContain('conflicts in: hello.txt')
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head)
    expect(git(repo, 'status', '--porcelain')).toBe('')
    expect(existsSync(join(repo, '.git', 'MERGE_HEAD'))).toBe(false)
    expect(readFileSync(join(repo, 'hello.txt'), 'utf8')).toBe('hello from the user\n')
    expect(engine.call('log/list', {}, 'test').map((e) => e.type)).not.toContain('run.merged')
  })

  it('discards only when the loss is confirmed; pending lists what would be lost', async () => {
    const run = await shipOnce()
    const worktree = run.cwd
    writeFileSync(join(worktree, 'notes.txt'), 'not committed\n')
    const sha = git(worktree, 'rev-parse', 'HEAD')
    const pending = engine.call('run/pending', { id: run.id }, 'test')
    expect(pending).toEqual({
      uncommitted: ['notes.txt'],
      unmergedCommits: [{ sha, subject: `hello from ${run.id}` }],
    })

    const refused = refusal('run/discard', { id: run.id })
    expect(refused).toMatchObject({ ok: false, error: { code: 'DiscardRefused' } })
    expect(refused.error.message).toContain('uncommitted files: notes.txt')
    expect(refused.error.message).toContain(`${sha.slice(0, 8)} hello from ${run.id}`)
    expect(existsSync(join(worktree, 'notes.txt'))).toBe(true)
    expect(git(repo, 'branch', '--list', 'factory/say-hello')).not.toBe('')

    expect(engine.call('run/discard', { id: run.id, confirmLoss: true }, 'test')).toEqual({
      removed: true,
      lost: pending,
    })
    expect(existsSync(worktree)).toBe(false)
    expect(git(repo, 'branch', '--list', 'factory/say-hello')).toBe('')
    expect(git(repo, 'worktree', 'list', '--porcelain')).not.toContain(worktree)
    expect(engine.call('log/list', {}, 'test').at(-1)).toMatchObject({
      type: 'run.discarded',
      subject: run.id,
      payload: { lost: pending },
    })
  })
})

describe('a run in a plain folder', () => {
  it('has no branch: diff and merge are refused with WorkspaceError', async () => {
    const plain = tempDir('factory-plain-')
    cleanups.push(plain.cleanup)
    addAgent(plain.dir, 'done')
    const spec = engine.call('spec/add', { title: 'No git here' }, 'test').id
    const run = await waitForEnd(
      engine,
      engine.call('run/dispatch', { spec, agent: 'bob' }, 'test').id,
    )
    expect(run).toMatchObject({
      state: 'done',
      workspaceKind: 'folder',
      branch: null,
      cwd: join(engine.runs.filesDir, 'runs', run.id, 'work'),
    })
    for (const op of ['run/diff', 'run/merge']) {
      const refused = refusal(op, { id: run.id })
      expect(refused).toMatchObject({ ok: false, error: { code: 'WorkspaceError' } })
      expect(refused.error.message).toContain('not a git worktree')
    }
  })
})
