// A queued spec's file reads back exactly as written, whatever its title holds.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { RUN_ID_PATTERN } from '../../../../shared/runs'
import type { QueueItem } from '../../../../shared/queue'
import { formatQueueSpec, parseQueueSpec } from './specFile'

const item: QueueItem = {
  id: 'r_12-lz4k2a1c',
  run: 'r_12',
  spec: 's_5',
  title: 'Landing page',
  agent: 'alice',
  priority: 3,
  tags: ['web', 'launch'],
  created: '2026-03-01T10:00:00.000Z',
}
const body = '# Landing page\n\nSell it.\n\n---\n\nA rule in the body is no fence.\n'

describe('queue spec files', () => {
  it('round-trip their frontmatter and body', () => {
    const text = formatQueueSpec(item, body)
    expect(text.startsWith('---\nid: "r_12-lz4k2a1c"\nrun: "r_12"\n')).toBe(true)
    expect(parseQueueSpec(text)).toEqual({ ok: true, item, body })
  })

  it('keep a hostile title on one line of its own, and give it back verbatim', () => {
    const titles = [
      'two\nlines',
      '---',
      'x\n---\nid: "evil"\nrun: "r_1"',
      '"quoted", \'single\' and \\backslash',
      'key: value # not a comment',
      '\u2028line separator\u0085next line\ufeffbom',
      'emoji 🚀 and ünïcödé',
      '[1, 2]',
    ]
    for (const title of titles) {
      const text = formatQueueSpec({ ...item, title }, body)
      const frontmatter = text.split('\n---\n')[0]!.split('\n')
      // Eight keys and the opening fence: nothing the title holds made a line of its own.
      expect(frontmatter).toHaveLength(9)
      expect(text).not.toMatch(/[\u0085\u2028\ufeff]/)
      expect(parseQueueSpec(text)).toEqual({ ok: true, item: { ...item, title }, body })
    }
  })

  it('read a frontmatter a person wrote by hand', () => {
    const text =
      '---\nid: r_3-x\nrun: r_3\nspec: s_1\ntitle: Fix the login\ncreated: today\n---\nBody'
    expect(parseQueueSpec(text)).toMatchObject({
      ok: true,
      item: { id: 'r_3-x', title: 'Fix the login', priority: 0, tags: [] },
      body: 'Body',
    })
  })

  it('say what is wrong with a file they cannot read', () => {
    expect(parseQueueSpec('# no frontmatter')).toEqual({
      ok: false,
      problem: 'it does not start with ---',
    })
    expect(parseQueueSpec('---\nid: "a"\n')).toMatchObject({ ok: false, problem: /closing ---/ })
    expect(parseQueueSpec('---\n__proto__: {}\n---\n')).toMatchObject({
      ok: false,
      problem: /cannot read the frontmatter line/,
    })
    const badId = formatQueueSpec({ ...item, id: '../../etc/passwd' }, body)
    expect(parseQueueSpec(badId)).toMatchObject({ ok: false, problem: /id: an item id/ })
  })

  it('check every field as any input is: ids are ids, text is well-formed', () => {
    for (const [field, value, problem] of [
      ['run', '../../x', /run: a run id looks like "r_3"/],
      ['run', 'r_1; rm -rf ~', /run: a run id/],
      ['spec', 's_1/../s_2', /spec: a spec id/],
      ['followUpOf', '$(id)', /followUpOf: a run id/],
      ['agent', 'Alice Smith', /agent: not an agent name/],
      ['title', 'a\ud800b', /title: it is not well-formed/],
      ['priority', 1e9, /priority/],
    ] as const) {
      const text = formatQueueSpec({ ...item, [field]: value } as QueueItem, body)
      expect(parseQueueSpec(text), field).toMatchObject({ ok: false, problem })
    }
  })

  it('read any text without throwing: a readable item has a real run id, else a problem', () => {
    const line = fc.oneof(
      fc.constantFrom('---', 'run: "../../x"', 'run: r_1', 'id: r_1-a', 'spec: s_1', 'created: x'),
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc
        .tuple(fc.constantFrom('id', 'run', 'spec', 'title', 'tags', 'priority'), fc.jsonValue())
        .map(([key, value]) => `${key}: ${JSON.stringify(value)}`),
    )
    fc.assert(
      fc.property(fc.array(line, { maxLength: 10 }), (lines) => {
        const parsed = parseQueueSpec(lines.join('\n'))
        if (parsed.ok) expect(parsed.item.run).toMatch(RUN_ID_PATTERN)
        else expect(parsed.problem.length).toBeGreaterThan(0)
      }),
      { numRuns: 2000, seed: 10 },
    )
  })
})
