// What the CLI prints reaches a terminal as text: a spec stored before its text was checked (or
// an error quoting hostile input) shows its escape sequences, it does not execute them.
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openLedger } from '../core/db/ledger'
import { tempDir } from '../core/testing'
import { cliOn } from './testing'

let dir: string
let cleanup: () => void
beforeEach(() => ({ dir, cleanup } = tempDir('factory-cli-terminal-')))
afterEach(() => cleanup())
const factory = cliOn(() => join(dir, 'ledger.db'))

const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

describe('the CLI in a terminal', () => {
  it('prints a hostile stored title and body with their controls shown, not executed', async () => {
    expect((await factory('spec', 'add', '--title', 'Plain')).code).toBe(0)
    // As an older version could store it: a title that retitles and clears the terminal.
    const ledger = openLedger({ path: join(dir, 'ledger.db') })
    ledger.sqlite
      .prepare('UPDATE specs SET title = ?, body = ?, tags = ?')
      .run(
        'Evil\u001b]0;pwned\u0007\u001b[2J',
        'body\u001b[31mred\u202e',
        JSON.stringify(['x\u0007']),
      )
    ledger.close()
    for (const argv of [['spec', 'show', 's_1'], ['spec', 'list'], ['board']]) {
      const shown = await factory(...argv)
      expect(shown.code, argv.join(' ') + shown.stderr).toBe(0)
      expect(shown.stdout).not.toMatch(CONTROLS)
    }
    const show = await factory('spec', 'show', 's_1')
    expect(show.stdout).toContain('Evil\\x1b]0;pwned\\x07\\x1b[2J')
    expect(show.stdout).toContain('body\\x1b[31mred\\u202e')
  })

  it('refuses such text at the door, naming the flag', async () => {
    const refused = await factory('spec', 'add', '--title', 'ok', '--body', 'x\u001b[2J')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('a body cannot contain control characters')
    expect(refused.stderr).not.toMatch(CONTROLS)
    const lone = await factory('spec', 'add', '--title', 'a\ud800b')
    expect(lone.code).toBe(1)
    expect(lone.stderr).toContain('is not well-formed text')
  })
})
