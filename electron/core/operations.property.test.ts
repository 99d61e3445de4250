// Every operation's input boundary, property-based: any input of any shape (ill-formed Unicode,
// control characters, wrong types, huge values) is answered with an envelope, never a throw; a
// refusal leaves the ledger byte-identical; what is accepted is well-formed text.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { operations } from '../../shared/api'
import { illFormedAt } from '../../shared/text'
import { createEngine, type Engine } from './engine'
import { ledgerBytes, tempLedgerPath } from './testing'

let engine: Engine
let cleanup: () => void
beforeAll(() => {
  const ledger = tempLedgerPath()
  cleanup = ledger.cleanup
  engine = createEngine({ dbPath: ledger.path })
  engine.call('agent/add', { name: 'bob', runner: 'claude' }, 'test')
  engine.call('spec/add', { title: 'Already here', tags: ['web'] }, 'test')
})
afterAll(() => {
  engine.close()
  cleanup()
})

const ledgerBytesNow = (): string => ledgerBytes(engine.ledger.path)

// Operations that start processes or read the user's files are left to their own tests.
const STARTS_WORK = new Set(['run/dispatch', 'run/retry', 'usage/sync', 'queue/enqueue'])
const names = Object.keys(operations).filter((name) => !STARTS_WORK.has(name))

const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    'a\ud800b',
    '\udc00',
    '\u001b]0;pwned\u0007',
    '\u001b[2J',
    'x\u202ey',
    's_1',
    'bob',
  ),
)
const field = fc.oneof(
  hostileText,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostileText, { maxLength: 3 }),
)
const keys = fc.constantFrom(
  'title',
  'body',
  'tags',
  'source',
  'id',
  'name',
  'stage',
  'agent',
  'priority',
  'comments',
  'runner',
  'x',
)
const input = fc.oneof(
  fc.dictionary(keys, field, { maxKeys: 4 }),
  fc.anything(),
  fc.dictionary(hostileText, field, { maxKeys: 2 }),
)

describe('every operation, whatever its input', () => {
  it('answers an envelope; a refusal writes nothing; accepted text is well-formed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), input, async (op, given) => {
        const bytes = ledgerBytesNow()
        const envelope = await engine.invoke(op, given, 'property')
        if (!envelope.ok) {
          expect(envelope.error.code).not.toBe('Internal')
          expect(ledgerBytesNow()).toBe(bytes)
        } else {
          expect(illFormedAt(given)).toBeUndefined()
        }
      }),
      { numRuns: 600, seed: 8 },
    )
  })

  it('refuses ill-formed text and terminal controls where a spec takes text', () => {
    const before = engine.ledger.latestSeq()
    for (const [input, problem] of [
      [{ title: 'a\ud800b' }, 'title: is not well-formed text'],
      [{ title: 'ok', body: 'x\u001b]0;pwned\u0007' }, 'body: a body cannot contain control'],
      [{ title: 'ok', source: 'roam\u001b[2J' }, 'source: a source cannot contain control'],
      [{ title: 'ok', tags: ['web\u0007'] }, 'tags.0: a tag cannot contain control'],
    ] as const) {
      const refused = engine.invoke('spec/add', input, 'test')
      expect(refused.ok).toBe(false)
      if (!refused.ok) expect(refused.error.message).toContain(problem)
    }
    expect(engine.ledger.latestSeq()).toBe(before)
    const fine = engine.call('spec/add', { title: 'Tabs', body: 'a\tb\r\nc\n' }, 'test')
    expect(fine.body).toBe('a\tb\r\nc\n')
  })
})
