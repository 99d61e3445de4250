import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../core/testing'
import { cliOn } from './testing'

let dir: string
let cleanup: () => void
beforeEach(() => ({ dir, cleanup } = tempDir()))
afterEach(() => cleanup())

const factory = cliOn(() => join(dir, 'ledger.db'))

describe('factory agent add --quota, agent pause|resume, usage', () => {
  it('stores the subscription and reports each window, the cap and a pause', async () => {
    const added = await factory(
      'agent',
      'add',
      'bob',
      '--runner',
      'claude',
      '--max-concurrent',
      '2',
      '--plan',
      'Max 20x',
      '--quota',
      '5h:tokens:2000000',
      '--quota',
      '7d:usd:200',
      '--quota',
      '5h:runs:10',
      '--json',
    )
    expect(added.code).toBe(0)
    expect(JSON.parse(added.stdout)).toMatchObject({
      maxConcurrent: 2,
      plan: 'Max 20x',
      quotas: [
        { window: '5h', unit: 'tokens', limit: 2_000_000 },
        { window: '7d', unit: 'usd', limit: 200_000_000 },
        { window: '5h', unit: 'runs', limit: 10 },
      ],
    })
    expect(
      (await factory('agent', 'pause', 'bob', '--until', '2h', '--reason', 'limit reached')).code,
    ).toBe(0)
    const text = (await factory('usage')).stdout
    expect(text).toContain('bob (Max 20x): 0/2 running')
    expect(text).toContain('5h tokens: 0 of 2M tokens (0%)')
    expect(text).toContain('7d usd: $0 of $200 (0%)')
    expect(text).toMatch(/paused until \d\d:\d\d \(in 2h\): limit reached/)
    await factory('agent', 'resume', 'bob')
    const [bob] = JSON.parse((await factory('usage', '--agent', 'bob', '--json')).stdout)
    expect(bob).toMatchObject({ pausedUntil: null, pausedIndefinitely: false, running: 0 })
  })

  it('takes --db before the command too, as the README promises', async () => {
    const db = join(dir, 'other.db')
    expect((await factory('--db', db, 'agent', 'add', 'bob')).code).toBe(0)
    expect((await factory('agent', 'list', '--db', db, '--json')).stdout).toContain('"bob"')
  })

  it('refuses a window it cannot read, saying why, and stores nothing', async () => {
    const bad = await factory('agent', 'add', 'bob', '--quota', '5h:bananas:3')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('"5h:bananas:3": the unit is one of tokens, usd, messages, runs')
    expect((await factory('agent', 'list', '--json')).stdout.trim()).toBe('[]')
    expect((await factory('agent', 'pause', 'bob', '--until', 'soonish')).code).toBe(2)
  })

  it('pauses until a clock time (the next one), and refuses a time already past', async () => {
    await factory('agent', 'add', 'bob', '--quota', '5h:runs:10', '--quota', '7d:usd:200')
    const paused = await factory('agent', 'pause', 'bob', '--until', '14:05')
    expect(paused.code).toBe(0)
    expect(paused.stdout).toMatch(/^Paused bob until 14:05 \(in (\d+h)?(\d+m)?(\d+s)?\)\n$/)
    const [bob] = (await factory('usage', '--agent', 'bob', '--json')).json()
    const until = new Date(bob.pausedUntil)
    expect([until.getHours(), until.getMinutes()]).toEqual([14, 5])
    expect(bob.pausedUntil - Date.now()).toBeGreaterThan(0)
    expect(bob.pausedUntil - Date.now()).toBeLessThanOrEqual(24 * 3_600_000)

    await factory('agent', 'resume', 'bob')
    const past = await factory('agent', 'pause', 'bob', '--until', '2026-01-01T00:00')
    expect(past.code).toBe(2)
    expect(past.stderr).toContain('--until 2026-01-01T00:00 has already passed')
    const [resumed] = (await factory('usage', '--agent', 'bob', '--json')).json()
    expect(resumed).toMatchObject({ pausedUntil: null, pausedIndefinitely: false })

    // What the operation refuses is named by the flag, and the list shows each lane's windows.
    const zero = await factory('agent', 'set', 'bob', '--max-concurrent', '0')
    expect(zero.stderr).toContain('factory: --max-concurrent: at least 1 run at once')
    expect((await factory('agent', 'list')).stdout).toMatch(
      /^NAME\s+RUNNER\s+AT ONCE\s+QUOTA WINDOWS\s+ADDED\nbob\s+claude\s+1\s+5h 10 runs, 7d \$200\s+just now/,
    )
  })
})
