// A result file is written by another machine or account: whatever it holds, reading it never
// throws; it is either a result of this item in its right folder, or a problem in words.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDirs } from '../runs/testing'
import { ensureQueue, resultName } from './maildir'
import { readResult } from './result'
import { resultContent } from './testing'

const dirs = tempDirs()
afterAll(() => dirs.removeAll())

const ID = 'r_1-abc'
const goodResult = { id: ID, run: 'r_1', outcome: 'done' }
const content = resultContent(ID, 'r_1')

describe('a queue result file, whatever it holds', () => {
  it('reads as a result of this item or as a problem, never a throw', () => {
    const queue = join(dirs.make('factory-results-'), 'q')
    ensureQueue(queue)
    fc.assert(
      fc.property(
        fc.constantFrom('done', 'failed') as fc.Arbitrary<'done' | 'failed'>,
        content,
        (folder, text) => {
          const path = join(queue, folder, resultName(ID))
          writeFileSync(path, text)
          const read = readResult(queue, folder, ID)
          if (read.ok) {
            expect(read.result.id).toBe(ID)
            expect(read.result.outcome === 'failed' ? 'failed' : 'done').toBe(folder)
          } else expect(read.problem.length).toBeGreaterThan(0)
          rmSync(path)
        },
      ),
      { numRuns: 1000, seed: 21 },
    )
  })

  it('refuses a link, a folder, an oversized file and another item’s result, in words', () => {
    const queue = join(dirs.make('factory-results-'), 'q')
    ensureQueue(queue)
    const path = join(queue, 'done', resultName(ID))
    symlinkSync('/etc/passwd', path)
    expect(readResult(queue, 'done', ID)).toEqual({ ok: false, problem: 'it is a symbolic link' })
    rmSync(path)
    mkdirSync(path)
    expect(readResult(queue, 'done', ID)).toMatchObject({
      ok: false,
      problem: /not a regular file/,
    })
    rmSync(path, { recursive: true })
    writeFileSync(path, ' '.repeat(1024 * 1024 + 1))
    expect(readResult(queue, 'done', ID)).toMatchObject({ ok: false, problem: /larger than/ })
    writeFileSync(path, JSON.stringify({ ...goodResult, id: 'r_2-x' }))
    expect(readResult(queue, 'done', ID)).toMatchObject({ ok: false, problem: /result of r_2-x/ })
    writeFileSync(path, JSON.stringify(goodResult))
    expect(readResult(queue, 'done', ID)).toMatchObject({ ok: true })
  })
})
