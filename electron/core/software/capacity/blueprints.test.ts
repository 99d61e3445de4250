// Blueprint needs from frontmatter, as a person writes it, and the allocator keeping to them.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { blueprintDirs, blueprintNeeds, parseNeeds } from './blueprints'
import { tempDirs } from '../runs/testing'

const temps = tempDirs()
afterEach(temps.removeAll)

describe('a blueprint', () => {
  it('says which runners and lanes fit, in any of the usual YAML list forms', () => {
    expect(parseNeeds('---\nrunners: [claude, "codex"]\n---\nbody')).toEqual({
      runners: ['claude', 'codex'],
    })
    expect(parseNeeds('---\nagents: alice, bob\n---\n')).toEqual({ agents: ['alice', 'bob'] })
    expect(
      parseNeeds('---\ntitle: x\nagents:\n  - alice\n  - bob\nrunners:\n  - gptme\n---\n'),
    ).toEqual({
      agents: ['alice', 'bob'],
      runners: ['gptme'],
    })
    expect(parseNeeds('# no frontmatter at all')).toEqual({})
  })

  it('is a clear problem when it names an unknown runner, is unfinished, or is missing', () => {
    expect(parseNeeds('---\nrunners: [claud]\n---\n', 'web.md')).toEqual({
      problem: 'web.md: runners lists "claud", not one of claude, codex, gptme, command',
    })
    expect(parseNeeds('---\nrunners: [claude]\n', 'web.md')).toEqual({
      problem: 'web.md: its frontmatter has no closing ---',
    })
    const dir = temps.make()
    expect(blueprintNeeds([dir], 'nope')).toEqual({
      problem: `no blueprint named "nope" in ${dir}`,
    })
    expect(blueprintNeeds([dir], '../etc/passwd')).toEqual({
      problem: 'blueprint "../etc/passwd" is not a blueprint name',
    })
  })

  it("is read from the user's folder first, then the app's", () => {
    const data = temps.make()
    const [mine, shipped] = blueprintDirs(data)
    expect(shipped).toMatch(/blueprints$/)
    expect(blueprintNeeds([mine!, shipped!], 'landing-page')).toEqual({
      runners: ['claude', 'codex'],
    })
    mkdirSync(mine!, { recursive: true })
    writeFileSync(join(mine!, 'landing-page.md'), '---\nagents: [gordon]\n---\n')
    expect(blueprintNeeds([mine!, shipped!], 'landing-page')).toEqual({ agents: ['gordon'] })
  })
})
