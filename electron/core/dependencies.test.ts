// Spec dependencies: written with the spec, refused when they would loop, and met once shipped.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { SpecId } from '../../shared/domain'
import { createEngine, type Engine } from './engine'
import { tempLedgerPath } from './testing'

let engine: Engine
let cleanup: () => void
beforeEach(() => {
  const temp = tempLedgerPath()
  engine = createEngine({ dbPath: temp.path })
  cleanup = () => {
    engine.close()
    temp.cleanup()
  }
})
afterEach(() => cleanup())

const add = (title: string, dependsOn: SpecId[] = []) =>
  engine.call('spec/add', { title, dependsOn }, 'test').id

describe('spec dependencies', () => {
  it('are kept with the spec and listed as unmet until they ship', () => {
    const api = add('API')
    const ui = add('UI', [api, api])
    expect(engine.call('spec/get', { id: ui }, 'test')).toMatchObject({
      dependsOn: [api],
      waitingOn: [api],
    })
    // The drawer shows the other side too: what waits on the API.
    const docs = add('Docs', [api])
    expect(engine.call('spec/get', { id: api }, 'test').dependents).toEqual([ui, docs])
    const created = engine.call('log/list', {}, 'test').find((e) => e.subject === ui)!
    expect(created.payload.dependsOn).toEqual([api])
    // Shipping is an artifact on record for the spec.
    engine.ledger.sqlite
      .prepare(
        `INSERT INTO runs (id, spec_id, agent, runner, state, argv, cwd, workspace_kind, run_dir, created_at, updated_at)
         VALUES ('r_1', ?, 'bob', 'command', 'shipped', '[]', '/', 'folder', '/', 1, 1)`,
      )
      .run(api)
    engine.ledger.sqlite
      .prepare(
        `INSERT INTO artifacts (run_id, spec_id, name, version, url, changelog, created_at)
         VALUES ('r_1', ?, 'api', '1.0.0', 'https://example.com', '', 1)`,
      )
      .run(api)
    expect(engine.call('spec/get', { id: ui }, 'test').waitingOn).toEqual([])
  })

  it('refuse a cycle, naming it, and change nothing', () => {
    const a = add('A')
    const b = add('B', [a])
    const c = add('C', [b])
    const seq = engine.ledger.latestSeq()
    const refused = engine.invoke('spec/edit', { id: a, dependsOn: [c] }, 'test')
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'DependencyCycle',
        message: `${a} cannot depend on ${c}: that would be a cycle (${a} → ${c} → ${b} → ${a})`,
      },
    })
    expect(engine.ledger.latestSeq()).toBe(seq)
    expect(engine.call('spec/get', { id: a }, 'test').dependsOn).toEqual([])
  })

  it('can be replaced and removed by an edit, undoable from the log', () => {
    const a = add('A')
    const b = add('B')
    const c = add('C', [a])
    engine.call('spec/edit', { id: c, dependsOn: [b] }, 'test')
    expect(engine.call('spec/get', { id: c }, 'test').dependsOn).toEqual([b])
    engine.call('spec/edit', { id: c, dependsOn: [] }, 'test')
    expect(engine.call('spec/get', { id: c }, 'test').dependsOn).toEqual([])
    const edits = engine.call('log/list', {}, 'test').filter((e) => e.type === 'spec.edited')
    expect(edits.map((e) => e.payload)).toEqual([
      { changed: { dependsOn: [b] }, previous: { dependsOn: [a] } },
      { changed: { dependsOn: [] }, previous: { dependsOn: [b] } },
    ])
  })
})
