import { afterEach, expect, it } from 'vitest'
import type { LedgerEvent } from '../../shared/domain'
import { openLedger } from './db/ledger'
import { createEngine, type Engine } from './engine'
import { tempLedgerPath } from './testing'

const closers: (() => void)[] = []
afterEach(() =>
  closers
    .splice(0)
    .reverse()
    .forEach((close) => close()),
)

function until(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now()
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (predicate()) return resolve()
      if (Date.now() - start > timeoutMs) return reject(new Error('timed out'))
      setTimeout(tick, 10)
    }
    tick()
  })
}

it('delivers own commits at once and another connection’s commits within an interval, in order', async () => {
  const temp = tempLedgerPath()
  closers.push(temp.cleanup)
  const engine: Engine = createEngine({ dbPath: temp.path, feedIntervalMs: 50 })
  closers.push(() => engine.close())
  const seen: LedgerEvent[] = []
  engine.subscribe((event) => seen.push(event))

  engine.call('spec/add', { title: 'from the app' }, 'desktop')
  expect(seen.map((e) => e.payload.title)).toEqual(['from the app'])

  // Another process (the CLI) writing the same file through its own connection.
  const other = openLedger({ path: temp.path })
  closers.push(() => other.close())
  other.change('cli', (c) =>
    c.append({ type: 'spec.created', subject: 's_9', payload: { title: 'from the cli' } }),
  )
  await until(() => seen.length === 2)
  expect(seen.map((e) => [e.seq, e.actor])).toEqual([
    [1, 'desktop'],
    [2, 'cli'],
  ])
})

it('does not replay events committed before it subscribed', () => {
  const temp = tempLedgerPath()
  closers.push(temp.cleanup)
  const engine = createEngine({ dbPath: temp.path })
  closers.push(() => engine.close())
  engine.call('spec/add', { title: 'old' }, 'test')
  const seen: LedgerEvent[] = []
  engine.subscribe((event) => seen.push(event))
  engine.call('spec/add', { title: 'new' }, 'test')
  expect(seen.map((e) => e.payload.title)).toEqual(['new'])
})
