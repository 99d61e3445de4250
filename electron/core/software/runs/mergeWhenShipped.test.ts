// The run-branches reactor on real git repositories: the branch state a card shows after a run
// ends, a trusted lane's branch merged by itself (once), a conflict refused as a manual merge
// is, and a ship recorded just before its supervisor died merged on the next start, never twice.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { branchWords, canMerge } from '../../../../shared/branch'
import type { RunId } from '../../../../shared/runs'
import { readBoard } from '../../board'
import { createEngine, type Engine } from '../../engine'
import { followSoftwareReactors } from '../capacity/holding'
import { NO_EXIT, recordOutcome } from './runs'
import { fixtureCommand, runEngine, waitFor, waitForEnd, git, productRepo } from './testing'

let engine: Engine
let dbPath: string
let repo: string
const cleanups: (() => void)[] = []

function start(options: Parameters<typeof runEngine>[1] = {}): void {
  const started = runEngine({}, options)
  engine = started.engine
  dbPath = join(started.dir, 'ledger.db')
  cleanups.push(started.cleanup)
}

beforeEach(() => {
  const folder = productRepo()
  cleanups.push(folder.cleanup)
  repo = folder.dir
})
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup()
})

function addLane(mergeWhenShipped: boolean, command = fixtureCommand('ship')): void {
  engine.call(
    'agent/add',
    { name: 'bob', runner: 'command', command, workspace: repo, mergeWhenShipped },
    'test',
  )
}

function dispatch(title = 'Say hello'): RunId {
  const spec = engine.call('spec/add', { title }, 'test').id
  return engine.call('run/dispatch', { spec, agent: 'bob' }, 'test').id
}

/** The card's run as the board reads it (one query, no git). */
const cardRun = (title = 'Say hello') =>
  readBoard(engine.ledger).specs.find((s) => s.title === title)!.run!

const events = (type: string) => engine.call('log/list', {}, 'test').filter((e) => e.type === type)
const mergeCommits = () => git(repo, 'rev-list', '--merges', 'main').split('\n').filter(Boolean)

describe('the branch state a shipped card shows', () => {
  beforeEach(() => start())

  it('says "Not merged · 1 commit" with its artifact, then "Merged into main" after a merge', async () => {
    addLane(false)
    const id = dispatch()
    expect((await waitForEnd(engine, id)).state).toBe('shipped')
    const badge = await waitFor(cardRun, (run) => run.branchState !== null, 'the branch check')
    expect(badge.artifact).toEqual({
      name: 'hello',
      version: '1.0.0',
      url: 'https://example.com/hello',
    })
    expect(badge.branchState).toEqual({
      state: 'unmerged',
      into: 'main',
      commits: 1,
      uncommitted: 0,
      refusal: null,
    })
    expect(branchWords(badge.branchState!)).toBe('Not merged · 1 commit')
    // Not a trusted lane: main is as it was.
    expect(mergeCommits()).toEqual([])
    expect(canMerge(engine.call('run/get', { id }, 'test'))).toBe(true)

    engine.call('run/merge', { id }, 'test')
    expect(branchWords(cardRun().branchState!)).toBe('Merged into main')
    expect(canMerge(engine.call('run/get', { id }, 'test'))).toBe(false)
  })

  it('says "Nothing to merge" when the run committed nothing, and offers no Merge', async () => {
    // An agent that ships without touching the repository.
    const artifact = JSON.stringify({ name: 'notes', version: '0.1.0' })
    const write = `require('fs').writeFileSync(process.argv[1] + '/artifact.json', ${JSON.stringify(artifact)})`
    addLane(false, [process.execPath, '-e', write, '{outputDir}'])
    const id = dispatch('Just notes')
    expect((await waitForEnd(engine, id)).state).toBe('shipped')
    const badge = await waitFor(
      () => cardRun('Just notes'),
      (run) => run.branchState !== null,
      'the branch check',
    )
    expect(badge.artifact).toEqual({ name: 'notes', version: '0.1.0', url: '' })
    expect(branchWords(badge.branchState!)).toBe('Nothing to merge')
    expect(canMerge(engine.call('run/get', { id }, 'test'))).toBe(false)
  })

  it('says "Discarded" once its branch is thrown away', async () => {
    addLane(false)
    const id = dispatch()
    await waitForEnd(engine, id)
    engine.call('run/discard', { id, confirmLoss: true }, 'test')
    expect(branchWords(cardRun().branchState!)).toBe('Discarded')
    expect(canMerge(engine.call('run/get', { id }, 'test'))).toBe(false)
  })
})

describe('a lane that merges when shipped', () => {
  beforeEach(() => start())

  it('merges a shipped run’s branch by itself, once however often the reactors catch up', async () => {
    addLane(true)
    const id = dispatch()
    await waitForEnd(engine, id)
    // Its supervisor merges right after it records the ship, with no app open.
    const badge = await waitFor(cardRun, (run) => run.branchState?.state === 'merged', 'the merge')
    expect(branchWords(badge.branchState!)).toBe('Merged into main')
    expect(git(repo, 'show', 'main:hello.txt')).toBe(`made by ${id}`)
    followSoftwareReactors(engine.ledger)
    followSoftwareReactors(engine.ledger)
    expect(mergeCommits()).toHaveLength(1)
    expect(events('run.merged')).toHaveLength(1)
    expect(events('run.merged')[0]!.payload).toMatchObject({ auto: true, into: 'main' })
  })

  it('refuses a conflict as a manual merge does: shipped, unmerged, the reason on the card', async () => {
    addLane(true, fixtureCommand('ship', '600'))
    const id = dispatch()
    // While the agent works, the user commits their own hello.txt on main.
    writeFileSync(join(repo, 'hello.txt'), 'hello from the user\n')
    git(repo, 'add', 'hello.txt')
    git(repo, 'commit', '-q', '-m', 'my own hello')
    const head = git(repo, 'rev-parse', 'HEAD')
    expect((await waitForEnd(engine, id)).state).toBe('shipped')
    const badge = await waitFor(cardRun, (run) => run.branchState !== null, 'the refusal')
    expect(branchWords(badge.branchState!)).toBe('Not merged · conflicts in hello.txt')
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head)
    expect(git(repo, 'status', '--porcelain')).toBe('')
    const run = engine.call('run/get', { id }, 'test')
    expect(run.state).toBe('shipped')
    expect(canMerge(run)).toBe(true)
    expect(events('run.merge-refused')[0]!.payload.reason).toContain('conflicts in: hello.txt')
    expect(events('run.merged')).toEqual([])
  })
})

describe('a ship recorded just before its supervisor died', () => {
  // Supervisors that exit at once: the test plays the agent and the supervisor's last write.
  const silent = { argv: [process.execPath, '-e', ''], env: {} }
  const ARTIFACT = { name: 'hello', version: '1.0.0', url: '', changelog: '', screenshots: [] }

  /** Dispatches, commits in the worktree as the agent would, records the ship, follows nothing. */
  function shipWithoutReactors(): RunId {
    addLane(true)
    const id = dispatch()
    const worktree = engine.call('run/get', { id }, 'test').cwd
    writeFileSync(join(worktree, 'hello.txt'), 'made by hand\n')
    git(worktree, 'add', 'hello.txt')
    git(worktree, 'commit', '-q', '-m', 'hello')
    expect(
      recordOutcome(
        engine.ledger,
        'supervisor',
        id,
        { state: 'shipped', artifact: ARTIFACT },
        NO_EXIT,
      ),
    ).toBe(true)
    return id
  }

  /** What a host does when it starts: recovery, which catches the reactors up. */
  function restart(): void {
    engine.close()
    engine = createEngine({ dbPath, supervisor: silent })
    cleanups.push(() => engine.close())
    engine.recoverRuns()
  }

  beforeEach(() => start({ supervisor: silent }))

  it('is merged on the next start, and not again on the one after', () => {
    shipWithoutReactors()
    expect(cardRun().branchState).toBeNull()
    expect(mergeCommits()).toEqual([])
    restart()
    expect(branchWords(cardRun().branchState!)).toBe('Merged into main')
    expect(git(repo, 'show', 'main:hello.txt')).toBe('made by hand')
    restart()
    expect(mergeCommits()).toHaveLength(1)
    expect(events('run.merged')).toHaveLength(1)
  })

  it('is found merged when git merged it but the record was lost, and not merged twice', () => {
    shipWithoutReactors()
    git(repo, 'merge', '--no-ff', '-q', '-m', 'merged before the crash', 'factory/say-hello')
    restart()
    expect(branchWords(cardRun().branchState!)).toBe('Merged into main')
    expect(mergeCommits()).toHaveLength(1)
    expect(events('run.merged')).toEqual([])
  })
})
