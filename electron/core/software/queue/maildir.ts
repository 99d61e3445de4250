// A queue directory, maildir style (docs/queue.md): files are written in tmp/ and renamed into
// place, so nobody ever reads half a file; a spec is claimed by renaming it from new/ into cur/,
// which exactly one drainer can win; a claim is kept alive by touching it (one left untouched goes
// back to new/: staleClaims.ts). Every step that must be exclusive is a rename. No ledger here: a
// drainer on a machine without one uses these modules alone. Times and identities are read and set
// on the entries themselves (lstat, lutimes): a link put in the queue never lets a step touch what
// it points to.
import { randomBytes } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  lstatSync,
  lutimesSync,
  writeFileSync,
  type Stats,
} from 'node:fs'
import { join } from 'node:path'
import { FactoryError } from '../../../../shared/errors'
import { QUEUE_FOLDERS, QUEUE_ITEM_ID_PATTERN } from '../../../../shared/queue'

export const DEFAULT_STALE_MS = 10 * 60_000
/** A spec file is at most 200 KB of text plus its frontmatter; anything larger is not ours. */
export const MAX_SPEC_FILE = 1024 * 1024

/** How often a claim is touched: well inside the stale timeout, and at least once a minute. */
export function renewIntervalMs(staleMs: number): number {
  return Math.max(20, Math.min(Math.floor(staleMs / 4), 60_000))
}

export type QueueFolder = (typeof QUEUE_FOLDERS)[number]
export const RESULT_FOLDERS = ['done', 'failed'] as const
export type ResultFolder = (typeof RESULT_FOLDERS)[number]

export const specName = (id: string): string => `${id}.md`
export const resultName = (id: string): string => `${id}.result.json`

/** A claim this process holds: the file in cur/ and its inode, which a returned claim loses. */
export interface Claim {
  queue: string
  id: string
  path: string
  ino: number
  dev: number
}

export const isMissing = (error: unknown): boolean =>
  ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')

function unique(): string {
  return `${process.pid}-${randomBytes(4).toString('hex')}`
}

/** A name whose age is in it: a file renamed keeps its old mtime, so mtime cannot say when. */
export function stamped(
  id: string,
  step: 'returning' | 'finishing' | 'publishing',
  now: number,
): string {
  return `${specName(id)}.${step}-${now}-${unique()}`
}

/**
 * Makes the queue's folders where they are missing; true when the queue itself was new. A folder
 * that is a link (or not a folder) is refused: renames into it would land outside the queue.
 */
export function ensureQueue(queue: string): boolean {
  const created = !existsSync(queue)
  for (const folder of QUEUE_FOLDERS) {
    const path = join(queue, folder)
    if (!entryStat(path)) mkdirSync(path, { recursive: true })
    const kind = lstatSync(path)
    if (!kind.isDirectory()) {
      throw new FactoryError(
        'InvalidInput',
        `${path} is ${kind.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}; a queue's ${QUEUE_FOLDERS.join(', ')} must be folders of its own`,
      )
    }
  }
  return created
}

/** The entry itself (a link is not followed), or undefined when there is none. */
export function entryStat(path: string): Stats | undefined {
  try {
    return lstatSync(path)
  } catch (error) {
    if (isMissing(error)) return undefined
    throw error
  }
}

/** Writes `text` whole in tmp/, then renames it to `to` (a path inside the same queue). */
export function writeThroughTmp(queue: string, to: string, text: string): void {
  const tmp = join(queue, 'tmp', `write-${unique()}`)
  writeFileSync(tmp, text)
  renameSync(tmp, to)
}

export function publishSpec(queue: string, id: string, text: string): string {
  const path = join(queue, 'new', specName(id))
  writeThroughTmp(queue, path, text)
  return path
}

/**
 * A spec published in two steps around the transaction that records its run: staged whole in tmp/
 * inside it, moved into new/ once it committed. A process killed in between leaves either a staged
 * file for a run that never existed (no drainer looks in tmp/; it goes with tmp/'s old files) or
 * one for a committed run, which the dashboard moves on (ingest.ts): never a spec in new/ that no
 * ledger knows of, which a drainer would run and nobody would follow.
 */
export function stageSpec(queue: string, id: string, text: string, now: number): string {
  const staged = join(queue, 'tmp', stamped(id, 'publishing', now))
  writeFileSync(staged, text)
  return staged
}

/** False when it is no longer staged there: someone else moved it on. */
export function completeStagedSpec(queue: string, id: string, staged: string): boolean {
  try {
    renameSync(staged, join(queue, 'new', specName(id)))
    return true
  } catch (error) {
    if (isMissing(error)) return false
    throw error
  }
}

/** The item's staged spec in tmp/, if a publish of it was cut short. */
export function findStagedSpec(queue: string, id: string): string | undefined {
  const name = safeList(join(queue, 'tmp')).find((entry) =>
    entry.startsWith(`${specName(id)}.publishing-`),
  )
  return name === undefined ? undefined : join(queue, 'tmp', name)
}

/** Item ids waiting in new/, oldest run first (r_2 before r_10); other names are left alone. */
export function listWaiting(queue: string): string[] {
  let names: string[]
  try {
    names = readdirSync(join(queue, 'new'))
  } catch (error) {
    if (isMissing(error)) return []
    throw error
  }
  return names
    .filter((name) => name.endsWith('.md'))
    .map((name) => name.slice(0, -3))
    .filter((id) => QUEUE_ITEM_ID_PATTERN.test(id))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
}

/**
 * Claims one item: touch it (a claim's age is its mtime, and the file may have waited for hours),
 * then rename it into cur/. Undefined when another drainer got there first.
 */
export function claim(queue: string, id: string): Claim | undefined {
  const from = join(queue, 'new', specName(id))
  const path = join(queue, 'cur', specName(id))
  try {
    const now = new Date()
    lutimesSync(from, now, now)
    renameSync(from, path)
    const stats = lstatSync(path)
    return { queue, id, path, ino: stats.ino, dev: stats.dev }
  } catch (error) {
    if (isMissing(error)) return undefined
    throw error
  }
}

/** Still ours: cur/<id>.md exists and is the file we claimed (a returned one is a new file). */
export function holds(claim: Claim): boolean {
  try {
    const stats = lstatSync(claim.path)
    return stats.ino === claim.ino && stats.dev === claim.dev
  } catch (error) {
    if (isMissing(error)) return false
    throw error
  }
}

/** Touches the claim; false when it is no longer ours (returned as stale, or cancelled). */
export function renew(claim: Claim): boolean {
  if (!holds(claim)) return false
  try {
    const now = new Date()
    lutimesSync(claim.path, now, now)
    return true
  } catch (error) {
    if (isMissing(error)) return false
    throw error
  }
}

export function safeList(folder: string): string[] {
  try {
    return readdirSync(folder)
  } catch (error) {
    if (isMissing(error)) return []
    throw error
  }
}

/** Where an item's result is, if it has one. */
export function findResult(queue: string, id: string): ResultFolder | undefined {
  return RESULT_FOLDERS.find((folder) => existsSync(join(queue, folder, resultName(id))))
}

/**
 * Publishes a result prepared in tmp/ (its JSON and its folder): takes the claim out of reach of
 * returners first (a stamped name in cur/), checks it is still ours, then renames the folder and
 * then the JSON into place — the JSON last, as the sign that the result is whole — and drops the
 * claim. False, with nothing published, when the claim was lost meanwhile.
 */
export function publishResult(
  claim: Claim,
  folder: ResultFolder,
  prepared: { json: string; dir?: string },
): boolean {
  if (!holds(claim)) return false
  const finishing = join(claim.queue, 'cur', stamped(claim.id, 'finishing', Date.now()))
  try {
    renameSync(claim.path, finishing)
  } catch (error) {
    if (isMissing(error)) return false
    throw error
  }
  const taken = lstatSync(finishing)
  if (taken.ino !== claim.ino || taken.dev !== claim.dev) {
    // Someone else's claim slipped in between the check and the rename: give it back.
    renameSync(finishing, claim.path)
    return false
  }
  // An item that already has a result (it was queued twice) keeps the first one.
  const first = !findResult(claim.queue, claim.id)
  if (first) {
    // A folder without its JSON is what an earlier attempt left when it died: not a result.
    for (const other of RESULT_FOLDERS) {
      rmSync(join(claim.queue, other, claim.id), { recursive: true, force: true })
    }
    if (prepared.dir) renameSync(prepared.dir, join(claim.queue, folder, claim.id))
    writeThroughTmp(claim.queue, join(claim.queue, folder, resultName(claim.id)), prepared.json)
  } else if (prepared.dir) {
    rmSync(prepared.dir, { recursive: true, force: true })
  }
  rmSync(finishing, { recursive: true, force: true })
  return first
}

/** Where an item is now, as far as its files say. */
export type ItemPlace = 'staged' | 'waiting' | 'claimed' | 'moving' | ResultFolder | 'missing'

/**
 * Looked at in the order items move forward (new → cur → a stamped name → done/failed), so an item
 * moving on while we look is never missed; a claim going back to new/ can be (look again). A
 * result wins over a claim still lying beside it (an external loop removes its claim last).
 */
export function locate(queue: string, id: string): ItemPlace {
  if (existsSync(join(queue, 'new', specName(id)))) return 'waiting'
  const prefix = `${specName(id)}.`
  const cur = safeList(join(queue, 'cur'))
  const tmp = safeList(join(queue, 'tmp'))
  const result = findResult(queue, id)
  if (result) return result
  if (cur.includes(specName(id))) return 'claimed'
  const moving = [...cur, ...tmp].filter((name) => name.startsWith(prefix))
  if (moving.some((name) => !name.startsWith(`${prefix}publishing-`))) return 'moving'
  return moving.length > 0 ? 'staged' : 'missing'
}

/**
 * Takes an item out of the queue (a cancelled run): from tmp/ if staged, from new/ if it waits,
 * else its claim from cur/, so the drainer's next renewal fails and it stops. True when something
 * was taken.
 */
export function withdraw(queue: string, id: string): boolean {
  let taken = false
  // Staged first: one whose publish is being finished right now then lands in new/, taken next.
  const staged = findStagedSpec(queue, id)
  for (const from of [
    ...(staged ? [staged] : []),
    join(queue, 'new', specName(id)),
    join(queue, 'cur', specName(id)),
  ]) {
    const to = join(queue, 'tmp', `withdrawn-${unique()}`)
    try {
      renameSync(from, to)
      rmSync(to, { force: true })
      taken = true
    } catch (error) {
      if (!isMissing(error)) throw error
    }
  }
  return taken
}
