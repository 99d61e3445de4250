// Telling a full disk apart, with the errors a full disk really gives: the kernel's ENOSPC (from
// /dev/full) and SQLite's SQLITE_FULL (a ledger capped at its current size), as the ledger reports it.
import { openSync, closeSync, readdirSync, statSync, writeSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { FactoryError } from '../../../../shared/errors'
import { openLedger } from '../../db/ledger'
import { tempDir } from '../../testing'
import {
  fullDisk,
  isDiskFull,
  releaseSpace,
  RESERVE_BYTES,
  RESERVE_FILE,
  reserveSpace,
} from './diskSpace'

const cleanups: (() => void)[] = []
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()))
function folder(): string {
  const { dir, cleanup } = tempDir('factory-disk-')
  cleanups.push(cleanup)
  return dir
}

function thrownBy(work: () => unknown): unknown {
  try {
    work()
  } catch (error) {
    return error
  }
  throw new Error('expected it to throw')
}

describe('a full disk', () => {
  it('is what a write to a device with no room says', () => {
    const fd = openSync('/dev/full', 'w')
    try {
      const error = thrownBy(() => writeSync(fd, Buffer.from('a line of the log\n')))
      expect(isDiskFull(error)).toBe(true)
    } finally {
      closeSync(fd)
    }
  })

  it('is what the ledger says when SQLite has no page left, through its readable error', () => {
    const dir = folder()
    const ledger = openLedger({ path: `${dir}/ledger.db` })
    try {
      const pages = ledger.sqlite.pragma('page_count', { simple: true }) as number
      ledger.sqlite.pragma(`max_page_count = ${pages}`)
      const error = thrownBy(() =>
        ledger.change('test', (change) => {
          for (let i = 0; i < 200; i++)
            change.append({
              type: 'spec.noted',
              subject: 's_1',
              payload: { text: 'x'.repeat(4000) },
            })
        }),
      )
      expect(error).toBeInstanceOf(FactoryError)
      expect((error as FactoryError).message).toContain('the disk is full')
      expect(isDiskFull(error)).toBe(true)
    } finally {
      ledger.close()
    }
  })

  it('is not any other failure', () => {
    expect(isDiskFull(thrownBy(() => statSync('/no/such/file')))).toBe(false)
    expect(isDiskFull(new FactoryError('LedgerUnavailable', 'locked'))).toBe(false)
    expect(isDiskFull(undefined)).toBe(false)
    expect(isDiskFull('ENOSPC')).toBe(false)
  })

  it('is not a folder with room left, nor one that went away', () => {
    expect(fullDisk([folder(), '/no/such/folder'])).toBeUndefined()
  })
})

describe('a run’s reserve', () => {
  it('holds real bytes until it is given back, once', () => {
    const dir = folder()
    reserveSpace(dir)
    const reserve = statSync(`${dir}/${RESERVE_FILE}`)
    expect(reserve.size).toBe(RESERVE_BYTES)
    // Allocated, not sparse: deleting it gives the disk that much back.
    expect(reserve.blocks * 512).toBeGreaterThanOrEqual(RESERVE_BYTES)
    expect(releaseSpace(dir)).toBe(true)
    expect(readdirSync(dir)).toEqual([])
    expect(releaseSpace(dir)).toBe(false)
    expect(releaseSpace('/no/such/folder')).toBe(false)
  })
})
