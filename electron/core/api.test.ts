import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { OPERATION_NAMES, type OperationName } from '../../shared/api'
import { createEngine, type Engine } from './engine'
import { tempLedgerPath } from './testing'

let engine: Engine
let cleanup: () => void
beforeEach(() => {
  const temp = tempLedgerPath()
  cleanup = temp.cleanup
  engine = createEngine({ dbPath: temp.path })
  engine.call('agent/add', { name: 'bob', runner: 'claude' }, 'test')
  engine.call('spec/add', { title: 'Existing spec', body: '# hi' }, 'test')
})
afterEach(() => {
  engine.close()
  cleanup()
})

/** Everything stored, so a rejected call can be shown to have changed nothing. */
function snapshot(): unknown {
  const all = (sql: string): unknown[] => engine.ledger.sqlite.prepare(sql).all()
  return {
    events: all('SELECT * FROM events ORDER BY seq'),
    specs: all('SELECT * FROM specs ORDER BY id'),
    agents: all('SELECT * FROM agents ORDER BY name'),
    runs: all('SELECT * FROM runs ORDER BY id'),
    usage: all('SELECT * FROM usage ORDER BY id'),
  }
}

const malformed: Record<OperationName, [input: unknown, error: RegExp][]> = {
  'agent/add': [
    [{}, /name: /],
    [{ name: 'Bob Smith' }, /lowercase letters/],
    [{ name: 'alice', runner: 'emacs' }, /runner: /],
    [{ name: 'bob', runner: 'claude' }, /AgentExists|already exists/],
    [{ name: 'alice', extra: 1 }, /extra/],
    [{ name: 'alice', runner: 'command' }, /command: a command agent needs its command/],
    [{ name: 'alice', runner: 'command', command: [] }, /command: a command needs at least/],
    [{ name: 'alice', runner: 'claude', workspace: 'relative/dir' }, /absolute path/],
    [{ name: 'alice', runner: 'claude', workspace: '/no/such/folder' }, /is not a folder/],
    [{ name: 'alice', runner: 'claude', timeoutMs: 10 }, /at least 1s/],
    [{ name: 'alice', runner: 'claude', setup: 'npm ci' }, /setup: /],
  ],
  'agent/pause': [
    [{ name: 'nobody' }, /no agent named "nobody"/],
    [{ name: 'bob', until: 'tomorrow' }, /until: /],
  ],
  'agent/resume': [[{ name: 'nobody' }, /no agent named "nobody"/]],
  'usage/get': [
    [{ agent: 'nobody' }, /no agent named "nobody"/],
    [{ agent: 'Bob' }, /lowercase/],
  ],
  'usage/sync': [
    [{ agent: 'nobody' }, /no agent named "nobody"/],
    [{ agent: 'Bob' }, /lowercase/],
    [{ all: true }, /all/],
  ],
  'usage/saturation': [
    [{ days: 31 }, /days: /],
    [{ days: 1.5 }, /days: /],
    [{ bucket: 'minute' }, /bucket: /],
  ],
  'agent/edit': [
    [{ name: 'bob', quotas: ['5h:tokens'] }, /positive/],
    [{ name: 'bob', quotas: ['5x:tokens:10'] }, /duration like 5h/],
    [{ name: 'bob', maxConcurrent: 0 }, /at least 1 run at once/],
    [{ name: 'bob' }, /nothing to change/],
    [{ name: 'nobody', bin: '/usr/bin/true' }, /no agent named "nobody"/],
    [{ name: 'bob', bin: 'claude' }, /absolute path/],
    [{ name: 'bob', quotas: ['5h:tokens:10', '5h:tokens:20'] }, /same length count the same unit/],
    [
      { name: 'bob', usageSources: { claudeLogs: { enabled: true, dir: '~/.claude/projects' } } },
      /Claude projects folder: use an absolute path/,
    ],
  ],
  'agent/list': [[{ all: true }, /all/]],
  'agent/remove': [
    [{ name: 'nobody' }, /no agent named "nobody"/],
    [{ name: 42 }, /name: /],
  ],
  'spec/add': [
    [{}, /title: /],
    [{ title: '   ' }, /a title is required/],
    [{ title: 'x'.repeat(201) }, /at most 200/],
    [{ title: 'ok', stage: 'shipping' }, /stage: /],
    [{ title: 'ok', agent: 'nobody' }, /no agent named "nobody"/],
    [{ title: 'bell\u0007' }, /control characters/],
    [{ title: 'ok', tags: 'not-a-list' }, /tags: /],
    [{ title: 'ok', priority: 1.5 }, /priority: /],
    ['a string', /expected object/],
    [null, /expected object|title/],
  ],
  'spec/list': [[{ stage: 'done' }, /stage: /]],
  'spec/get': [
    [{ id: 's_99' }, /SpecNotFound|no spec with id "s_99"/],
    [{ id: '../../etc/passwd' }, /a spec id looks like "s_12"/],
  ],
  'spec/move': [
    [{ id: 's_1' }, /stage: /],
    [{ id: 's_1', stage: 'software', agent: 'nobody' }, /no agent named "nobody"/],
    [{ id: 's_404', stage: 'software' }, /no spec with id "s_404"/],
  ],
  'spec/edit': [
    [{ id: 's_1' }, /nothing to change/],
    [{ id: 's_1', title: '' }, /a title is required/],
    [{ id: 's_1', body: 'x'.repeat(200_001) }, /at most 200000/],
    [{ id: 's_2', title: 'x' }, /no spec with id "s_2"/],
    [{ id: 's_1', dependsOn: ['s_1'] }, /s_1 cannot depend on itself/],
    [{ id: 's_1', dependsOn: ['s_7'] }, /no such spec/],
    [{ id: 's_1', dependsOn: ['7'] }, /a spec id looks like/],
  ],
  'spec/queue': [
    [{ id: 's_9' }, /no spec with id "s_9"/],
    [{ id: 's_1', agent: 'nobody' }, /no agent named "nobody"/],
    [{ id: 's_1', agent: 'Bob!' }, /agent: /],
  ],
  'spec/unqueue': [
    [{ id: 's_1', stage: 'idea' }, /agent: /],
    [{ id: 's_1', stage: 'idea', agent: null }, /s_1 is no longer queued/],
  ],
  'settings/get': [[{ autoDispatch: true }, /autoDispatch/]],
  'settings/set': [
    [{}, /nothing to change/],
    [{ maxConcurrentRuns: 0 }, /maxConcurrentRuns/],
    [{ autoDispatch: 'yes' }, /autoDispatch/],
  ],
  'allocator/round': [[{ dryRun: 1 }, /dryRun/]],
  'board/get': [[{ x: 1 }, /x/]],
  'run/dispatch': [
    [{ spec: 's_1' }, /agent: /],
    [{ spec: 's_9', agent: 'bob' }, /no spec with id "s_9"/],
    [{ spec: 's_1', agent: 'nobody' }, /no agent named "nobody"/],
    [{ spec: 's_1', agent: 'bob', shell: 'rm -rf ~' }, /shell/],
  ],
  'queue/enqueue': [
    [{ spec: 's_1' }, /target: /],
    [{ spec: 's_1', target: 'nobody' }, /no agent named "nobody"/],
    [{ spec: 's_1', target: 'bob' }, /bob has no queue; give it one/],
  ],
  'run/list': [[{ limit: 0 }, /limit: /]],
  'run/get': [
    [{ id: 'r_1' }, /RunNotFound: no run with id "r_1"/],
    [{ id: '$(touch /tmp/pwned)' }, /a run id looks like "r_3"/],
  ],
  'run/transcript': [
    [{ id: 'r_1' }, /no run with id "r_1"/],
    [{ id: 'r_1', limit: 5000 }, /limit: /],
  ],
  'run/log': [[{ id: 'r_7' }, /no run with id "r_7"/]],
  'run/cancel': [[{ id: 'r_1' }, /no run with id/]],
  'run/retry': [[{ id: 'r_1' }, /no run with id/]],
  'run/request-changes': [
    [{ id: 'r_1', comments: '  ' }, /say what to change/],
    [{ id: 'r_1', comments: 'more tests' }, /no run with id/],
  ],
  'run/diff': [[{ id: 'r_1' }, /no run with id/]],
  'run/pending': [[{ id: 'r_1' }, /no run with id/]],
  'run/merge': [[{ id: 'r_1' }, /no run with id/]],
  'run/discard': [
    [{ id: 'r_1', confirmLoss: 'yes' }, /confirmLoss: /],
    [{ id: 'r_1' }, /no run with id/],
  ],
  'log/list': [
    [{ limit: 0 }, /limit: /],
    [{ after: -1 }, /after: /],
  ],
}

describe('every operation', () => {
  it('has malformed-input cases here', () => {
    expect(Object.keys(malformed).sort()).toEqual([...OPERATION_NAMES].sort())
  })

  for (const op of OPERATION_NAMES) {
    for (const [input, error] of malformed[op]) {
      it(`${op} rejects ${JSON.stringify(input)?.slice(0, 60)} clearly and changes nothing`, async () => {
        const before = snapshot()
        // Awaited: an asynchronous operation (usage/sync) answers a promise of its envelope.
        const envelope = await engine.invoke(op, input, 'test')
        expect(envelope.ok).toBe(false)
        if (envelope.ok) return
        expect(`${envelope.error.code}: ${envelope.error.message}`).toMatch(error)
        expect(envelope.error.code).not.toBe('Internal')
        expect(snapshot()).toEqual(before)
      })
    }
  }

  it('rejects an unknown operation by name', () => {
    expect(engine.invoke('spec/delete-everything', {}, 'test')).toEqual({
      ok: false,
      error: { code: 'UnknownOperation', message: 'no operation named "spec/delete-everything"' },
    })
  })
})

describe('specs and agents', () => {
  it('adds a spec with defaults, a readable id and a created event', () => {
    const spec = engine.call('spec/add', { title: '  Ship the CLI  ', tags: ['cli', 'cli'] }, 'cli')
    expect(spec).toMatchObject({
      id: 's_2',
      title: 'Ship the CLI',
      stage: 'idea',
      status: 'new',
      agent: null,
      tags: ['cli'],
    })
    const last = engine.call('log/list', {}, 'test').at(-1)
    expect(last).toMatchObject({ type: 'spec.created', subject: 's_2', actor: 'cli' })
  })

  it('moves a spec across columns and lanes, recording where it came from', () => {
    engine.call('spec/move', { id: 's_1', stage: 'software', agent: 'bob' }, 'browser')
    const moved = engine.call('spec/move', { id: 's_1', stage: 'marketing' }, 'browser')
    expect(moved).toMatchObject({ stage: 'marketing', agent: 'bob' })
    const back = engine.call('spec/move', { id: 's_1', stage: 'idea', agent: null }, 'browser')
    expect(back).toMatchObject({ stage: 'idea', agent: null })
    const moves = engine.call('log/list', {}, 'test').filter((e) => e.type === 'spec.moved')
    expect(moves.map((e) => e.payload)).toEqual([
      { from: { stage: 'idea', agent: null }, to: { stage: 'software', agent: 'bob' } },
      { from: { stage: 'software', agent: 'bob' }, to: { stage: 'marketing', agent: 'bob' } },
      { from: { stage: 'marketing', agent: 'bob' }, to: { stage: 'idea', agent: null } },
    ])
  })

  it('writes no event for a move or edit that changes nothing', () => {
    const seq = engine.ledger.latestSeq()
    engine.call('spec/move', { id: 's_1', stage: 'idea' }, 'test')
    engine.call('spec/edit', { id: 's_1', title: 'Existing spec' }, 'test')
    expect(engine.ledger.latestSeq()).toBe(seq)
  })

  it('edits only what changed and keeps the previous values for undo', () => {
    const spec = engine.call('spec/edit', { id: 's_1', title: 'Renamed', body: '# hi' }, 'test')
    expect(spec.title).toBe('Renamed')
    expect(engine.call('spec/get', { id: 's_1' }, 'test').title).toBe('Renamed')
    expect(engine.call('log/list', {}, 'test').at(-1)?.payload).toEqual({
      changed: { title: 'Renamed' },
      previous: { title: 'Existing spec' },
    })
  })

  it('refuses to remove a lane while a run is at work there, and changes nothing', () => {
    engine.call('spec/move', { id: 's_1', stage: 'software', agent: 'bob' }, 'test')
    engine.ledger.sqlite
      .prepare(
        `INSERT INTO runs (id, spec_id, agent, runner, state, argv, cwd, workspace_kind, run_dir,
           created_at, updated_at) VALUES ('r_1', 's_1', 'bob', 'command', 'running', '[]', '/',
           'folder', '/', 1, 1)`,
      )
      .run()
    const before = engine.call('log/list', { limit: 1000 }, 'test').length
    expect(engine.invoke('agent/remove', { name: 'bob' }, 'test')).toEqual({
      ok: false,
      error: {
        code: 'AgentUnavailable',
        message: expect.stringMatching(
          /^bob has 1 run at work \("Existing spec"\): let it finish or cancel it first/,
        ),
      },
    })
    expect(engine.call('agent/list', {}, 'test').map((a) => a.name)).toEqual(['bob'])
    expect(engine.call('spec/get', { id: 's_1' }, 'test').agent).toBe('bob')
    expect(engine.call('log/list', { limit: 1000 }, 'test')).toHaveLength(before)
  })

  it('sends a removed lane’s cards back to Unassigned', () => {
    engine.call('spec/move', { id: 's_1', stage: 'software', agent: 'bob' }, 'test')
    expect(engine.call('agent/remove', { name: 'bob' }, 'test')).toEqual({
      name: 'bob',
      unassigned: ['s_1'],
    })
    expect(engine.call('spec/get', { id: 's_1' }, 'test')).toMatchObject({
      agent: null,
      stage: 'software',
    })
    expect(engine.call('board/get', {}, 'test').agents).toEqual([])
  })

  it('reads the board with every card and lane and the newest seq', () => {
    engine.call('spec/add', { title: 'Urgent', priority: 5 }, 'test')
    const board = engine.call('board/get', {}, 'test')
    expect(board.specs.map((s) => s.title)).toEqual(['Urgent', 'Existing spec'])
    expect(board.specs[0]).not.toHaveProperty('body')
    expect(board.agents.map((a) => a.name)).toEqual(['bob'])
    expect(board.seq).toBe(engine.ledger.latestSeq())
  })

  it('lists the log newest last, limited', () => {
    for (let i = 0; i < 5; i++) engine.call('spec/add', { title: `n${i}` }, 'test')
    const log = engine.call('log/list', { limit: 2 }, 'test')
    expect(log.map((e) => e.payload.title)).toEqual(['n3', 'n4'])
  })
})
