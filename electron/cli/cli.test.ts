import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../core/testing'
import { cliOn } from './testing'

let dir: string
let cleanup: () => void
beforeEach(() => ({ dir, cleanup } = tempDir()))
afterEach(() => cleanup())

const factory = cliOn(() => join(dir, 'env.db'))

describe('factory (CLI)', () => {
  it('adds, lists and moves a spec with --json', async () => {
    const db = join(dir, 'ledger.db')
    expect(
      (await factory('agent', 'add', 'bob', '--runner', 'claude', '--db', db, '--json')).json(),
    ).toMatchObject({ name: 'bob', runner: 'claude' })
    const added = await factory(
      'spec',
      'add',
      '--title',
      'Landing page',
      '--body',
      '# Why\nsell',
      '--json',
      '--db',
      db,
    )
    expect(added.code).toBe(0)
    expect(added.json()).toMatchObject({
      id: 's_1',
      title: 'Landing page',
      body: '# Why\nsell',
      stage: 'idea',
      status: 'new',
      agent: null,
      source: 'cli',
    })

    const moved = await factory(
      'spec',
      'move',
      's_1',
      '--stage',
      'software',
      '--agent',
      'bob',
      '--db',
      db,
      '--json',
    )
    expect(moved.json()).toMatchObject({ id: 's_1', stage: 'software', agent: 'bob' })

    const list = (await factory('spec', 'list', '--stage', 'software', '--json', '--db', db)).json()
    expect(list).toEqual([
      expect.objectContaining({
        id: 's_1',
        title: 'Landing page',
        stage: 'software',
        status: 'new',
        agent: 'bob',
      }),
    ])
    expect((await factory('spec', 'list', '--stage', 'idea', '--json', '--db', db)).json()).toEqual(
      [],
    )

    const log = (await factory('log', '--json', '--db', db)).json()
    expect(log.map((e: { type: string; actor: string }) => `${e.actor}:${e.type}`)).toEqual([
      'cli:agent.added',
      'cli:spec.created',
      'cli:spec.moved',
    ])
  })

  it('uses FACTORY_DB when --db is absent', async () => {
    await factory('spec', 'add', '--title', 'In the env ledger')
    expect((await factory('spec', 'show', 's_1', '--json')).json().title).toBe('In the env ledger')
  })

  it('prints readable text without --json', async () => {
    await factory('spec', 'add', '--title', 'Readable')
    expect((await factory('spec', 'list')).stdout).toMatch(
      /^ID\s+TITLE\s+STAGE.*\ns_1\s+Readable\s+idea\s+new\s+-\s+just now/,
    )
    const board = (await factory('board')).stdout
    expect(board).toContain('unassigned')
    expect(board.trimEnd().split('\n').at(-1)).toBe('1 spec · 0 agents')
    expect((await factory('spec', 'show', 's_1')).stdout).toMatch(/\n\n\(no description\)\n?$/)
  })

  it('reports errors on stderr with a non-zero exit and writes nothing', async () => {
    const missing = await factory('spec', 'move', 's_9', '--stage', 'software', '--json')
    expect(missing.code).toBe(1)
    expect(missing.stdout).toBe('')
    expect(JSON.parse(missing.stderr)).toEqual({
      error: { code: 'SpecNotFound', message: 'no spec with id "s_9"' },
    })

    const badStage = await factory('spec', 'add', '--title', 'x', '--stage', 'shipping')
    expect(badStage.code).toBe(1)
    // Named by the flag typed, not by the operation's field.
    expect(badStage.stderr).toMatch(/^factory: --stage: /)

    const typo = await factory('spec', 'list', '--db', join(dir, 'no-such-folder', 'ledger.db'))
    expect(typo.code).toBe(2)
    expect(typo.stderr).toContain(`there is no folder ${join(dir, 'no-such-folder')}`)
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false)

    const noTitle = await factory('spec', 'add', '--json')
    expect(noTitle.code).toBe(2)
    expect(JSON.parse(noTitle.stderr).error).toMatchObject({
      code: 'InvalidInput',
      message: '--title is required',
      usage: expect.stringMatching(/^factory spec add --title TEXT/),
    })

    const unknownFlag = await factory('spec', 'list', '--colour', 'red')
    expect(unknownFlag.code).toBe(2)
    expect(unknownFlag.stderr).toMatch(
      /^factory: unknown option --colour\nusage: factory spec list/,
    )
    expect((await factory('spec', 'list', '--agent')).stderr).toMatch(
      /^factory: --agent needs a value/,
    )
    const doneStage = await factory('spec', 'list', '--stage', 'done')
    expect(doneStage.stderr).toMatch(/--stage: must be one of "idea", "software", "marketing"/)

    // An unknown command: JSON for a script, the list to choose from for a person.
    const unknown = await factory('boardd', '--json')
    expect(unknown.code).toBe(2)
    expect(JSON.parse(unknown.stderr).error).toEqual({
      code: 'InvalidInput',
      message: 'unknown command "boardd"',
    })
    const group = await factory('spec')
    expect(group.code).toBe(2)
    expect(group.stderr).toMatch(/^factory: spec needs one of its commands\n\nfactory spec\n/)
    expect(group.stderr).toContain('factory spec add')
    expect(group.stderr).not.toContain('factory agent add')
    const groupHelp = await factory('run', '--help')
    expect(groupHelp.code).toBe(0)
    expect(groupHelp.stdout).toContain('factory run log')
    expect(groupHelp.stdout).not.toContain('factory spec add')

    expect((await factory('log', '--json')).json()).toEqual([])
  })

  it('reads a negative priority, and refuses flags that contradict each other', async () => {
    const low = (
      await factory('spec', 'add', '--title', 'Later', '--priority', '-1', '--json')
    ).json()
    expect(low.priority).toBe(-1)
    const dependent = await factory('spec', 'add', '--title', 'After', '--depends-on', 's_1')
    expect(dependent.code).toBe(0)
    const both = await factory('spec', 'edit', 's_2', '--depends-on', 's_1', '--no-dependencies')
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('use --depends-on or --no-dependencies, not both')
    expect((await factory('spec', 'show', 's_2', '--json')).json().dependsOn).toEqual(['s_1'])
  })

  it('refuses a dependency on a spec that does not exist, even the id the new one would get', async () => {
    const ahead = await factory('spec', 'add', '--title', 'x', '--depends-on', 's_1', '--json')
    expect(ahead.code).toBe(1)
    expect(JSON.parse(ahead.stderr).error).toEqual({
      code: 'SpecNotFound',
      message: 'no spec with id "s_1" to depend on',
    })
    expect((await factory('spec', 'list', '--json')).json()).toEqual([])
  })

  it('names an unknown command and shows help', async () => {
    const result = await factory('spec', 'delete', 's_1')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('unknown command "spec delete"')
    expect(result.stderr).toContain('factory spec add')
  })

  it('passes hostile text through verbatim', async () => {
    const title = '$(touch /tmp/pwned) "; rm -rf ~ # <script>alert(1)</script>'
    const spec = (await factory('spec', 'add', '--title', title, '--json')).json()
    expect(spec.title).toBe(title)
  })
})

describe('factory spec add --key', () => {
  it('makes a retry safe: the same key answers the spec it made, once', async () => {
    const first = await factory(
      'spec',
      'add',
      '--title',
      'Pricing page',
      '--key',
      'roam:abc',
      '--json',
    )
    expect(first.code).toBe(0)
    const seq = (await factory('log', '--json')).json().length
    const retry = await factory(
      'spec',
      'add',
      '--title',
      'Pricing page',
      '--key',
      'roam:abc',
      '--json',
    )
    expect(retry.code).toBe(0)
    expect(retry.json().id).toBe(first.json().id)
    const again = await factory('spec', 'add', '--title', 'Pricing page', '--key', 'roam:abc')
    expect(again.stdout).toBe(
      'Already added with key roam:abc: s_1: Pricing page; nothing changed\n',
    )
    expect((await factory('log', '--json')).json()).toHaveLength(seq)
    expect((await factory('spec', 'list', '--json')).json()).toHaveLength(1)
    const other = await factory('spec', 'add', '--title', 'Another page', '--key', 'roam:abc')
    expect(other.code).toBe(1)
    expect(other.stderr).toContain('the key "roam:abc" was already used for s_1 "Pricing page"')
    expect((await factory('log', '--json')).json()).toHaveLength(seq)
  })
})
