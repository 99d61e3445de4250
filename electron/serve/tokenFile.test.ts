import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../core/testing'
import { servingToken, tokenFileFor } from './tokenFile'

let dir: string
let cleanup: () => void
beforeEach(() => ({ dir, cleanup } = tempDir()))
afterEach(() => cleanup())

describe('the key factory serve keeps beside its ledger', () => {
  it('is made once, readable by its owner only, and the same on the next start', () => {
    const ledger = join(dir, 'ledger.db')
    const first = servingToken(ledger)
    expect(first.fresh).toBe(true)
    expect(first.file).toBe(`${ledger}.serve-token`)
    if (process.platform !== 'win32') expect(statSync(first.file!).mode & 0o777).toBe(0o600)
    const again = servingToken(ledger)
    expect(again).toEqual({ token: first.token, file: first.file, fresh: false })
  })

  it('makes a new one when asked, and the old one no longer works', () => {
    const ledger = join(dir, 'ledger.db')
    const first = servingToken(ledger)
    const rotated = servingToken(ledger, { rotate: true })
    expect(rotated.token).not.toBe(first.token)
    expect(servingToken(ledger).token).toBe(rotated.token)
  })

  it('replaces a file others could read, or one that holds no key', () => {
    const ledger = join(dir, 'ledger.db')
    const file = tokenFileFor(ledger)!
    const planted = 'a'.repeat(40)
    writeFileSync(file, planted)
    if (process.platform !== 'win32') {
      chmodSync(file, 0o644)
      expect(servingToken(ledger).token).not.toBe(planted)
    }
    writeFileSync(file, 'not a key\n', { mode: 0o600 })
    chmodSync(file, 0o600)
    const replaced = servingToken(ledger)
    expect(replaced.fresh).toBe(true)
    expect(readFileSync(file, 'utf8').trim()).toBe(replaced.token)
  })

  it('keeps nothing for an in-memory ledger or a folder it cannot write', () => {
    expect(servingToken(':memory:')).toMatchObject({ file: null, fresh: true })
    const missing = join(dir, 'no-such-folder', 'ledger.db')
    const made = servingToken(missing)
    expect(made.file).toBeNull()
    expect(existsSync(`${missing}.serve-token`)).toBe(false)
  })
})
