// Claims nobody renews any more go back to new/, so a drainer that died (or a machine that went
// down) never takes its spec with it; and what a process left half done when it crashed is
// finished. Anyone may do this (every drainer before claiming, the dashboard every few seconds):
// each step is a rename only one process can win.
import { existsSync, realpathSync, renameSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { QUEUE_ITEM_ID_PATTERN } from '../../../../shared/queue'
import { processesWithEnv } from '../runs/processTree'
import { readBounded } from './boundedFile'
import {
  findResult,
  isMissing,
  MAX_SPEC_FILE,
  publishSpec,
  safeList,
  entryStat,
  specName,
  stamped,
  holds,
  type Claim,
} from './maildir'

/** Half-written files in tmp/ older than this are removed (maildir's rule is 36 hours). */
const TMP_LIFETIME_MS = 36 * 3_600_000

/** When the step in a stamped name (see `stamped`) began. */
function stampOf(name: string): number | undefined {
  const match = /\.(?:returning|finishing)-(\d+)-/.exec(name)
  return match ? Number(match[1]) : undefined
}

/**
 * Puts a claimed file back into new/ as a fresh copy (a new inode, so its old holder, should it
 * wake up, sees it is no longer its claim). First renamed out of cur/ under a stamped name, which
 * only one returner can win.
 */
export function returnToNew(queue: string, id: string, from: string): boolean {
  const returning = join(queue, 'tmp', stamped(id, 'returning', Date.now()))
  try {
    renameSync(from, returning)
  } catch (error) {
    if (isMissing(error)) return false
    throw error
  }
  return finishReturn(queue, id, returning)
}

/** False when the file is no spec we could have written (a link, a FIFO): left in tmp/ for a person. */
function finishReturn(queue: string, id: string, returning: string): boolean {
  // Already finished by someone (a drainer that crashed after writing its result): only tidy up.
  if (!findResult(queue, id) && !existsSync(join(queue, 'new', specName(id)))) {
    const read = readBounded(returning, MAX_SPEC_FILE)
    if (!('text' in read)) return false
    publishSpec(queue, id, read.text)
  }
  rmSync(returning, { recursive: true, force: true })
  return true
}

/** Gives up a claim we hold (a drainer told to stop): the spec waits in new/ for the next one. */
export function release(claim: Claim): boolean {
  return holds(claim) && returnToNew(claim.queue, claim.id, claim.path)
}

export interface Sweep {
  returned: string[]
}

/**
 * Returns claims older than `staleMs` to new/, and finishes what a crashed process left half done:
 * a return (tmp/*.returning-*), a result being published (cur/*.finishing-*). Anyone may do this;
 * each step is a rename only one process wins.
 */
export function returnStaleClaims(queue: string, staleMs: number, now = Date.now()): Sweep {
  const returned: string[] = []
  for (const name of safeList(join(queue, 'cur'))) {
    const id = name.slice(0, name.indexOf('.'))
    if (!QUEUE_ITEM_ID_PATTERN.test(id)) continue
    const path = join(queue, 'cur', name)
    if (name === specName(id)) {
      const mtime = entryStat(path)?.mtimeMs
      if (mtime === undefined || now - mtime <= staleMs) continue
      // Its drainer stopped renewing, but an agent of its may still be at work on this machine
      // (drainer and watchdog both killed): it is stopped, and the claim goes back only once nothing
      // works on it, so the spec never runs twice at once.
      const workers = claimWorkers(path)
      for (const pid of workers) stopOrphan(pid)
      if (workers.length === 0 && returnToNew(queue, id, path)) returned.push(id)
      continue
    }
    const stamp = stampOf(name)
    if (!name.includes('.finishing-') || stamp === undefined || now - stamp <= staleMs) continue
    // A drainer died while publishing its result: if the result made it, the claim is done.
    if (findResult(queue, id)) rmSync(path, { recursive: true, force: true })
    else if (returnToNew(queue, id, path)) returned.push(id)
  }
  for (const name of safeList(join(queue, 'tmp'))) {
    const path = join(queue, 'tmp', name)
    const stamp = stampOf(name)
    const id = name.slice(0, name.indexOf('.'))
    if (stamp !== undefined) {
      if (name.includes('.returning-') && now - stamp > staleMs && finishReturn(queue, id, path)) {
        returned.push(id)
      }
      continue
    }
    const mtime = entryStat(path)?.mtimeMs
    if (mtime !== undefined && now - mtime > TMP_LIFETIME_MS) {
      rmSync(path, { recursive: true, force: true })
    }
  }
  return { returned }
}

/** Processes here whose FACTORY_QUEUE_FILE is this claim, however each spelled the queue's path. */
export function claimWorkers(claimPath: string): number[] {
  const real = (path: string): string | undefined => {
    try {
      return join(realpathSync(dirname(path)), basename(path))
    } catch {
      return undefined
    }
  }
  const mine = real(claimPath)
  return processesWithEnv('FACTORY_QUEUE_FILE')
    .filter(({ value }) => basename(value) === basename(claimPath) && real(value) === mine)
    .map(({ pid }) => pid)
}

function stopOrphan(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // gone already, or another user's: it stays listed, and the claim stays put
  }
}
