import { afterEach, beforeEach, expect, it } from 'vitest'
import { openLedger, type Ledger } from './db/ledger'
import { catchUp, reactorCursor, type Reactor } from './reactors'
import { tempLedgerPath } from './testing'

let path: string
let cleanup: () => void
let ledger: Ledger
beforeEach(() => {
  ;({ path, cleanup } = tempLedgerPath())
  ledger = openLedger({ path })
})
afterEach(() => {
  ledger.close()
  cleanup()
})

const types = (l: Ledger): string[] => l.eventsAfter(0).map((e) => e.type)

/** A stand-in hand-off shaped like the real ones: every shipped run gets exactly one draft. */
function draftOnShip(failOn?: string): Reactor {
  return {
    name: 'draft-on-ship',
    types: ['run.shipped'],
    react(event, change) {
      if (event.subject === failOn) throw new Error(`cannot draft ${event.subject}`)
      change.append({ type: 'draft.created', subject: `draft:${event.subject}` })
    },
  }
}

it('reacts to each matching event exactly once, across restarts', () => {
  ledger.change('test', (c) => {
    c.append({ type: 'run.shipped', subject: 'r_1' })
    c.append({ type: 'spec.moved', subject: 's_1' })
  })
  expect(catchUp(ledger, draftOnShip())).toBe(1)
  expect(catchUp(ledger, draftOnShip())).toBe(0)
  ledger.close()
  ledger = openLedger({ path })
  ledger.change('test', (c) => c.append({ type: 'run.shipped', subject: 'r_2' }))
  expect(catchUp(ledger, draftOnShip())).toBe(1)
  expect(types(ledger).filter((t) => t === 'draft.created')).toHaveLength(2)
  expect(reactorCursor(ledger, 'draft-on-ship')).toBe(ledger.latestSeq())
})

it('resumes from a failed reaction without losing or repeating work', () => {
  ledger.change('test', (c) => {
    c.append({ type: 'run.shipped', subject: 'r_1' })
    c.append({ type: 'run.shipped', subject: 'r_2' })
    c.append({ type: 'run.shipped', subject: 'r_3' })
  })
  expect(() => catchUp(ledger, draftOnShip('r_2'))).toThrow('cannot draft r_2')
  expect(
    ledger
      .eventsAfter(0)
      .filter((e) => e.type === 'draft.created')
      .map((e) => e.subject),
  ).toEqual(['draft:r_1'])
  expect(catchUp(ledger, draftOnShip())).toBe(2)
  expect(
    ledger
      .eventsAfter(0)
      .filter((e) => e.type === 'draft.created')
      .map((e) => e.subject),
  ).toEqual(['draft:r_1', 'draft:r_2', 'draft:r_3'])
})

it('never reacts twice when another process caught up the same reactor meanwhile', () => {
  ledger.change('test', (c) => {
    for (let i = 1; i <= 50; i++) c.append({ type: 'run.shipped', subject: `r_${i}` })
  })
  // Between this process reading its batch and reacting to it, another process (its own
  // connection: the app, serve, a run's supervisor) catches up everything.
  let raced = false
  const racing: Reactor = {
    ...draftOnShip(),
    get types() {
      if (!raced) {
        raced = true
        const other = openLedger({ path })
        expect(catchUp(other, draftOnShip())).toBe(50)
        other.close()
      }
      return ['run.shipped']
    },
  }
  expect(catchUp(ledger, racing)).toBe(0)
  expect(types(ledger).filter((t) => t === 'draft.created')).toHaveLength(50)
  expect(reactorCursor(ledger, 'draft-on-ship')).toBe(ledger.latestSeq())
})
