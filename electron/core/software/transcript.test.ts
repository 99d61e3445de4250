// Windows of a run's raw log: readers continue at offset + byteLength(text), so a window never cuts
// a multi-byte character in two, whichever byte offsets were asked for.
import { appendFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../testing'
import { readLog, RUN_FILES } from './transcript'

let dir: string
let cleanup: () => void
beforeEach(() => ({ dir, cleanup } = tempDir('factory-log-')))
afterEach(() => cleanup())

const log = (offset: number, limit: number) => readLog(dir, 'r_1', offset, limit)

describe('readLog', () => {
  it('returns whole characters only and reports where the text really starts', () => {
    const text = 'a€b😀c\n' // € is 3 bytes, 😀 is 4
    writeFileSync(join(dir, RUN_FILES.log), text)
    const size = Buffer.byteLength(text)
    expect(log(0, 1000)).toEqual({ runId: 'r_1', offset: 0, size, text })
    // Ends inside €: it is left for the next window.
    expect(log(0, 3)).toMatchObject({ offset: 0, text: 'a' })
    // Starts inside € (a tail read lands anywhere): skipped to the next whole character.
    expect(log(2, 1000)).toMatchObject({ offset: 4, text: 'b😀c\n' })
    expect(log(-5, 5)).toMatchObject({ offset: 9, text: 'c\n' })
    // Too small for one whole character, before the end: the cut bytes rather than nothing.
    expect(log(1, 2).text).not.toBe('')
    // Reading on from offset + byteLength(text) in small windows gives back every byte.
    let offset = 0
    let read = ''
    while (offset < size) {
      const chunk = log(offset, 5)
      read += chunk.text
      offset = chunk.offset + Buffer.byteLength(chunk.text)
    }
    expect(read).toBe(text)
  })

  it('holds back a character still being written at the end of the log', () => {
    const euro = Buffer.from('€')
    writeFileSync(
      join(dir, RUN_FILES.log),
      Buffer.concat([Buffer.from('ok '), euro.subarray(0, 2)]),
    )
    expect(log(0, 1000)).toMatchObject({ offset: 0, size: 5, text: 'ok ' })
    expect(log(3, 1000)).toMatchObject({ offset: 3, text: '' })
    appendFileSync(join(dir, RUN_FILES.log), euro.subarray(2))
    expect(log(3, 1000)).toMatchObject({ offset: 3, text: '€' })
  })
})
