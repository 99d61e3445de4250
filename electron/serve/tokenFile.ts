// The key `factory serve` gives browsers, kept beside the ledger in a file only its owner can read,
// so a restart keeps the same key and the tabs already open get back in by themselves.
import { chmodSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { newToken } from './guard'

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,128}$/

export interface ServingToken {
  token: string
  /** Where it is kept; null when it could not be (an in-memory ledger, a read-only folder). */
  file: string | null
  /** True when this start made a new key (first start, asked for, or the old file was unsafe). */
  fresh: boolean
}

export function tokenFileFor(ledgerPath: string): string | null {
  if (!ledgerPath || ledgerPath === ':memory:' || ledgerPath.startsWith('file:')) return null
  return `${ledgerPath}.serve-token`
}

/** A key another user could read is no secret: such a file is replaced, never used. */
function readKept(file: string): string | undefined {
  try {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) return undefined
    const text = readFileSync(file, 'utf8').trim()
    return TOKEN_SHAPE.test(text) ? text : undefined
  } catch {
    return undefined
  }
}

function keep(file: string, token: string): boolean {
  const temporary = `${file}.${process.pid}.tmp`
  try {
    writeFileSync(temporary, `${token}\n`, { mode: 0o600 })
    chmodSync(temporary, 0o600) // the umask may have loosened it
    renameSync(temporary, file)
    return true
  } catch {
    return false
  }
}

/** The key for this ledger: the kept one, or a new one (kept if it can be) when none or `rotate`. */
export function servingToken(ledgerPath: string, options: { rotate?: boolean } = {}): ServingToken {
  const file = tokenFileFor(ledgerPath)
  if (file && !options.rotate) {
    const kept = readKept(file)
    if (kept) return { token: kept, file, fresh: false }
  }
  const token = newToken()
  return { token, file: file && keep(file, token) ? file : null, fresh: true }
}
