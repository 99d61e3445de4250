// The CLI forms of issue 9's queue: spec add --depends-on, spec queue, allocate, settings.
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fixtureCommand } from '../core/software/runs/testing'
import { tempDir } from '../core/testing'
import { cliOn } from './testing'

let dir: string
let cleanup: () => void
beforeEach(() => ({ dir, cleanup } = tempDir()))
afterEach(() => cleanup())

const factory = cliOn(() => join(dir, 'ledger.db'))

describe('factory spec add --depends-on, spec queue, allocate, settings', () => {
  it('queues specs, plans a round, refuses a cycle and changes settings', async () => {
    await factory(
      'agent',
      'add',
      'bob',
      '--runner',
      'command',
      '--command',
      fixtureCommand('hang').join(' '),
    )
    await factory('spec', 'add', '--title', 'API')
    const added = await factory(
      'spec',
      'add',
      '--title',
      'UI',
      '--depends-on',
      's_1',
      '--priority',
      '3',
    )
    expect(added.stdout).toBe('Added s_2: UI (waits for s_1)\n')
    expect((await factory('spec', 'show', 's_2')).stdout).toContain(
      'depends on s_1 (waiting for s_1)',
    )

    const cycle = await factory('spec', 'edit', 's_2', '--depends-on', 's_2')
    expect(cycle.code).toBe(1)
    expect(cycle.stderr).toContain('s_2 cannot depend on itself')

    const loop = await factory('spec', 'edit', 's_1', '--depends-on', 's_2')
    expect(loop.stderr).toContain(
      's_1 cannot depend on s_2: that would be a cycle (s_1 → s_2 → s_1)',
    )
    expect((await factory('spec', 'queue', 's_2')).stdout).toBe(
      'Queued s_2 for the allocator (Unassigned); waits for s_1 to ship\n',
    )
    expect((await factory('spec', 'queue', 's_1', '--agent', 'bob')).stdout).toBe(
      "Queued s_1 for bob's lane\n",
    )

    const dry = await factory('allocate', '--dry-run')
    expect(dry.stdout).toBe(
      [
        's_1 → bob: no quota windows, 0/1 running  API',
        's_2 not now: waits for s_1 to ship  UI',
        'Dry run: 1 would dispatch, 1 waiting',
        '',
      ].join('\n'),
    )
    const json = JSON.parse((await factory('allocate', '--dry-run', '--json')).stdout)
    expect(json.dispatched).toEqual([
      { spec: 's_1', title: 'API', agent: 'bob', reason: 'to bob: no quota windows, 0/1 running' },
    ])

    expect((await factory('settings')).stdout).toBe(
      'auto-dispatch: on\nmax runs at once: no global limit\n',
    )
    const changed = await factory('settings', '--auto-dispatch', 'off', '--max-runs', '4')
    expect(changed.stdout).toBe('auto-dispatch: off\nmax runs at once: 4\n')
    const bad = await factory('settings', '--max-runs', 'lots')
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--max-runs takes a whole number or none, not "lots"')
  })

  it('says nothing is waiting, and when nothing can start, why each lane took nothing', async () => {
    await factory('agent', 'add', 'bob', '--runner', 'command', '--command', 'true')
    expect((await factory('allocate')).stdout).toBe(
      'Nothing is waiting: queue a spec with factory spec queue ID\n',
    )
    await factory('spec', 'add', '--title', 'API')
    await factory('spec', 'queue', 's_1')
    await factory('agent', 'pause', 'bob')
    expect((await factory('allocate')).stdout).toBe(
      [
        's_1 not now: no agent has room: bob is paused (paused by hand); resume it first  API',
        'Nothing started: bob paused',
        '0 dispatched, 1 waiting',
        '',
      ].join('\n'),
    )
  })
})
