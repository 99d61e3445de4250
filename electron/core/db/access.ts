// A ledger this user may read but not write (another user's, shared through a folder): SQLite
// would create the -wal and -shm files beside it as this user, mode of the ledger, and its owner
// could then no longer write its own ledger. So a reader without write access reads a private
// snapshot instead and leaves nothing beside the ledger; and when writing fails for want of
// permission, the file that is the problem is the one named.
import {
  accessSync,
  constants,
  copyFileSync,
  existsSync,
  mkdtempSync,
  rmSync,
  statSync,
  type Stats,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { FactoryError } from '../../../shared/errors'

const SIDECARS = ['-wal', '-shm'] as const

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK)
    return true
  } catch {
    return false
  }
}

/**
 * Whether this user can write the ledger and whatever SQLite must create beside it: the file, and
 * the folder (for -wal and -shm) unless both already exist and are writable.
 */
export function canWriteLedger(path: string): boolean {
  if (!writable(path)) return false
  if (writable(dirname(path))) return true
  return SIDECARS.every((suffix) => existsSync(path + suffix) && writable(path + suffix))
}

export interface Snapshot {
  file: string
  remove(): void
}

const same = (a: Stats | undefined, b: Stats | undefined): boolean =>
  a?.size === b?.size && a?.mtimeMs === b?.mtimeMs

const statOf = (path: string): Stats | undefined => (existsSync(path) ? statSync(path) : undefined)

/**
 * A private copy of the ledger and its write-ahead log, taken while neither changed (tried a few
 * times while the owner writes); SQLite recovers the copy's log to its last whole commit.
 */
export function readerSnapshot(path: string): Snapshot {
  const dir = mkdtempSync(join(tmpdir(), 'factory-reader-'))
  const remove = (): void => rmSync(dir, { recursive: true, force: true })
  const file = join(dir, basename(path))
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = [statOf(path), statOf(`${path}-wal`)]
      copyFileSync(path, file)
      if (before[1]) copyFileSync(`${path}-wal`, `${file}-wal`)
      else rmSync(`${file}-wal`, { force: true })
      const after = [statOf(path), statOf(`${path}-wal`)]
      if (same(before[0], after[0]) && same(before[1], after[1])) return { file, remove }
    }
  } catch (error) {
    remove()
    throw new FactoryError(
      'LedgerUnavailable',
      `${path}: cannot be read by this user (${(error as Error).message})`,
    )
  }
  remove()
  throw new FactoryError(
    'LedgerUnavailable',
    `${path}: it kept changing while it was read (its owner is writing); try again`,
  )
}

/** The file beside (or of) the ledger this user cannot write, saying whose it is. */
export function unwritableFile(path: string): string | undefined {
  for (const file of [path, ...SIDECARS.map((suffix) => path + suffix)]) {
    if (!existsSync(file) || writable(file)) continue
    const { uid, mode } = statSync(file)
    const mine = uid === process.getuid?.()
    return `${file} cannot be written by this user (${mine ? 'its' : `it belongs to user ${uid}, its`} mode is ${(mode & 0o777).toString(8)})`
  }
  if (existsSync(path) && !writable(dirname(path))) {
    return `the folder ${dirname(path)} cannot be written by this user, and SQLite must create files there`
  }
  return undefined
}
