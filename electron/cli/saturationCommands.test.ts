// `factory saturation`: the saturation view's figures in a terminal and as JSON.
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openLedger } from '../core/db/ledger'
import { tempDir } from '../core/testing'
import { cliOn } from './testing'

let dir: string
let cleanup: () => void
beforeEach(() => ({ dir, cleanup } = tempDir()))
afterEach(() => cleanup())
const factory = cliOn(() => join(dir, 'ledger.db'))

describe('factory saturation', () => {
  it('prints each agent’s average and peak, the portfolio and the idle quota; --json has the series', async () => {
    await factory('agent', 'add', 'bob', '--quota', '5h:tokens:1000000')
    await factory('agent', 'add', 'carol')
    // bob used half his 5h window an hour ago; carol has no windows.
    const ledger = openLedger({ path: join(dir, 'ledger.db') })
    const insert = ledger.sqlite.prepare(
      `INSERT INTO usage (agent, ts, input_tokens, output_tokens) VALUES (?, ?, ?, ?)`,
    )
    insert.run('bob', Date.now() - 3_600_000, 250_000, 250_000)
    insert.run('carol', Date.now() - 3_600_000, 1_000, 2_000)
    ledger.close()

    const printed = await factory('saturation')
    expect(printed.code).toBe(0)
    const lines = printed.stdout.trimEnd().split('\n')
    // bob's figures begin with his first use: the report says so rather than calling it a week.
    expect(lines[0]).toBe(
      'Utilization since the first lane began, 1h ago (hour buckets; 100% = a full quota window)',
    )
    // bob's meter read 50% since his use an hour ago: used half, idle the other half.
    expect(lines[2]).toMatch(/^bob\s+50%\s+50%\s+used 50% · idle 50% · blocked 0%$/)
    expect(lines.at(-2)).toBe('carol: no quota windows (3k tokens used)')

    const json = (await factory('saturation', '--days', '2', '--bucket', '5min', '--json')).json()
    // From the 5-minute bucket of bob's first use to the one holding now: 13 of them.
    expect(json.timestamps).toHaveLength(13)
    expect(json.agents.map((a: { agent: string }) => a.agent)).toEqual(['bob', 'carol'])

    const bad = await factory('saturation', '--days', '31')
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toContain('days')
  })
})
