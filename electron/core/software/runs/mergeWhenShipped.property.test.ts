// "Merge when shipped" through every way in: agent/add and agent/edit take a boolean and nothing
// else (whatever else is sent is refused and the ledger stays byte-identical); the CLI says on|off.
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cliOn } from '../../../cli/testing'
import { createEngine, type Engine } from '../../engine'
import { ledgerBytes, tempDir } from '../../testing'

let engine: Engine
let dir: string
let cleanup: () => void
beforeAll(() => {
  ;({ dir, cleanup } = tempDir())
  engine = createEngine({ dbPath: join(dir, 'ledger.db') })
  engine.call('agent/add', { name: 'bob', runner: 'claude' }, 'test')
})
afterAll(() => {
  engine.close()
  cleanup()
})

const ledgerBytesNow = (): string => ledgerBytes(engine.ledger.path)

const notBoolean = fc.anything().filter((v) => typeof v !== 'boolean' && v !== undefined)

describe('merge when shipped, as an agent setting', () => {
  it('is off for a new lane unless asked, and kept as set', () => {
    expect(engine.call('agent/list', {}, 'test')[0]!.mergeWhenShipped).toBe(false)
    engine.call('agent/edit', { name: 'bob', mergeWhenShipped: true }, 'test')
    expect(engine.call('agent/list', {}, 'test')[0]!.mergeWhenShipped).toBe(true)
    const alice = engine.call(
      'agent/add',
      { name: 'alice', runner: 'claude', mergeWhenShipped: true },
      'test',
    )
    expect(alice.mergeWhenShipped).toBe(true)
  })

  it('refuses anything but true or false, naming the field, and writes nothing', () => {
    fc.assert(
      fc.property(notBoolean, fc.boolean(), (value, adding) => {
        const bytes = ledgerBytesNow()
        const input = adding
          ? { name: 'carol', runner: 'claude', mergeWhenShipped: value }
          : { name: 'bob', mergeWhenShipped: value }
        const envelope = engine.invoke(adding ? 'agent/add' : 'agent/edit', input, 'property')
        expect(envelope.ok).toBe(false)
        if (!envelope.ok) {
          expect(envelope.error.code).toBe('InvalidInput')
          expect(envelope.error.message).toContain('mergeWhenShipped')
        }
        expect(ledgerBytesNow()).toBe(bytes)
      }),
      { numRuns: 300, seed: 15 },
    )
  })
})

describe('factory agent add|set --merge-when-shipped', () => {
  const factory = cliOn(() => join(dir, 'cli.db'))
  const db = () => ['--db', join(dir, 'cli.db'), '--json']

  it('takes on or off, and refuses other words before touching the ledger', async () => {
    const added = await factory('agent', 'add', 'dan', '--merge-when-shipped', 'on', ...db())
    expect(added.json()).toMatchObject({ name: 'dan', mergeWhenShipped: true })
    const off = await factory('agent', 'set', 'dan', '--merge-when-shipped', 'off', ...db())
    expect(off.json()).toMatchObject({ mergeWhenShipped: false })
    const refused = await factory('agent', 'set', 'dan', '--merge-when-shipped', 'yes', ...db())
    expect(refused.code).not.toBe(0)
    expect(JSON.parse(refused.stderr)).toMatchObject({
      error: { message: '--merge-when-shipped takes on or off, not "yes"' },
    })
    const list = await factory('agent', 'list', ...db())
    expect(list.json()).toEqual([expect.objectContaining({ mergeWhenShipped: false })])
  })
})
