// A run's files. Windows of the raw log: readers continue at offset + byteLength(text), so a window
// never cuts a multi-byte character in two, whichever byte offsets were asked for.
import { appendFileSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../testing'
import type { StageEvent, TranscriptEntry } from '../../../../shared/runs'
import {
  readLog,
  readTimeline,
  readTranscript,
  RUN_FILES,
  RunFiles,
  transcriptLength,
  writeTimeline,
  type WriteFn,
} from './transcript'

let dir: string
let cleanup: () => void
beforeEach(() => ({ dir, cleanup } = tempDir('factory-log-')))
afterEach(() => cleanup())

const log = (offset: number, limit: number) => readLog(dir, 'r_1', offset, limit)

describe('a run with no files yet', () => {
  it('reads as an empty transcript and log (a run queued remotely, or not started)', () => {
    const nowhere = join(dir, 'runs', 'r_9')
    expect(readTranscript(nowhere, 'r_9', 'queued', 0, 100)).toEqual({
      runId: 'r_9',
      from: 0,
      total: 0,
      entries: [],
      state: 'queued',
    })
    expect(readLog(nowhere, 'r_9', 0, 1000)).toMatchObject({ runId: 'r_9', text: '' })
  })
})

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

// The transcript and its index under short writes and a full disk: the index never points past
// what is on disk, and nothing is written twice.
const entry = (n: number): TranscriptEntry => ({ kind: 'text', text: `entry ${n} – ü` })
const page = (from = 0, limit = 100) => readTranscript(dir, 'r_1', 'running', from, limit)
const enospc = () => Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })

/** A disk that takes at most `step` bytes per write and `room` bytes in all (then ENOSPC). */
function disk(step: number, room = Infinity) {
  const state = { room }
  const write: WriteFn = (fd, buffer, offset, length) => {
    if (state.room <= 0) throw enospc()
    const n = Math.min(step, length, state.room)
    state.room -= n
    return writeSync(fd, buffer, offset, n)
  }
  return { write, state }
}

describe('RunFiles', () => {
  it('writes everything when writes are short', () => {
    const files = new RunFiles(dir, disk(3).write)
    files.writeLog('hello ✓ world\n')
    for (let n = 0; n < 5; n++) files.append(entry(n))
    files.close()
    expect(readFileSync(join(dir, RUN_FILES.log), 'utf8')).toBe('hello ✓ world\n')
    expect(transcriptLength(dir)).toBe(5)
    expect(page().entries).toEqual([0, 1, 2, 3, 4].map(entry))
  })

  it('rethrows a full disk and indexes only lines wholly written, with no duplicates later', () => {
    const line = Buffer.byteLength(`${JSON.stringify(entry(0))}\n`)
    const { write, state } = disk(7, 2 * line + 5) // the third line is torn
    const files = new RunFiles(dir, write)
    for (let n = 0; n < 4; n++) files.append(entry(n))
    expect(() => files.flush()).toThrow(/ENOSPC/)
    // Both full lines fit, but their index did not: nothing points past the disk.
    expect(transcriptLength(dir)).toBe(0)
    expect(statSync(join(dir, RUN_FILES.transcript)).size).toBe(0)
    expect(() => files.writeLog('x')).toThrow(/ENOSPC/)
    state.room = Infinity // space freed: the dropped entries are not written again
    files.append(entry(9))
    files.close()
    expect(page().entries).toEqual([entry(9)])
  })

  it('keeps the lines whose index entries were written when the index write fails', () => {
    const line = Buffer.byteLength(`${JSON.stringify(entry(0))}\n`)
    // All three lines, then one and a half index entries.
    const { write, state } = disk(5, 3 * line + 12)
    const files = new RunFiles(dir, write)
    for (let n = 0; n < 3; n++) files.append(entry(n))
    expect(() => files.flush()).toThrow(/ENOSPC/)
    expect(statSync(join(dir, RUN_FILES.index)).size).toBe(8)
    expect(statSync(join(dir, RUN_FILES.transcript)).size).toBe(line)
    expect(page().entries).toEqual([entry(0)])
    state.room = Infinity
    files.append(entry(5))
    files.close()
    expect(page().entries).toEqual([entry(0), entry(5)])
  })
})

describe('readTranscript', () => {
  it('reads a torn line as a placeholder and the entries around it as they are', () => {
    const lines = [`${JSON.stringify(entry(0))}\n`, '{"kind":"text","te\n', '[1,2]\n']
    lines.push(`${JSON.stringify(entry(3))}\n`)
    writeFileSync(join(dir, RUN_FILES.transcript), lines.join(''))
    const index = Buffer.alloc(lines.length * 8)
    let end = 0
    lines.forEach((line, i) =>
      index.writeBigUInt64LE(BigInt((end += Buffer.byteLength(line))), i * 8),
    )
    writeFileSync(join(dir, RUN_FILES.index), index)
    const unreadable = { kind: 'raw', stream: 'stderr', text: '[unreadable transcript line]' }
    expect(page().entries).toEqual([entry(0), unreadable, unreadable, entry(3)])
    expect(page(1, 1).entries).toEqual([unreadable])
    expect(page(3, 10)).toMatchObject({ from: 3, total: 4, entries: [entry(3)] })
  })
})

describe('readTimeline', () => {
  const stage = (n: number): StageEvent => ({ stage: `s${n}`, status: 'done', at: n })

  it('returns the last 500 entries, and nothing for a corrupt file', () => {
    const path = join(dir, RUN_FILES.timeline)
    writeFileSync(path, JSON.stringify(Array.from({ length: 600 }, (_, n) => stage(n))))
    const timeline = readTimeline(dir)
    expect(timeline).toHaveLength(500)
    expect(timeline[0]).toEqual(stage(100))
    writeTimeline(dir, [stage(1)])
    expect(readTimeline(dir)).toEqual([stage(1)])
    writeFileSync(path, '[{"stage":')
    expect(readTimeline(dir)).toEqual([])
    writeFileSync(path, '{"not":"an array"}')
    expect(readTimeline(dir)).toEqual([])
  })
})
