// progress.jsonl belongs to the agent: whatever it makes of it, reading never throws or blocks.
import { execFileSync } from 'node:child_process'
import { appendFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../testing'
import { ProgressReader } from './progress'

let dir: string
let cleanup: () => void
let path: string
beforeEach(() => {
  ;({ dir, cleanup } = tempDir('factory-progress-'))
  path = join(dir, 'progress.jsonl')
})
afterEach(() => cleanup())

const posix = process.platform !== 'win32'
const line = (stage: string, message?: string) => `${JSON.stringify({ stage, message })}\n`

describe('ProgressReader', () => {
  it('reads new lines by offset; a partial line waits for its newline', () => {
    const reader = new ProgressReader(path)
    expect(reader.read()).toEqual({ progress: [], malformed: [] })
    writeFileSync(path, `${line('build')}not json\n{"stage":"ver`)
    expect(reader.read()).toEqual({
      progress: [{ stage: 'build', status: 'started' }],
      malformed: ['not json'],
    })
    appendFileSync(path, 'ify","status":"done"}\n')
    expect(reader.read()).toEqual({
      progress: [{ stage: 'verify', status: 'done' }],
      malformed: [],
    })
    expect(reader.read()).toEqual({ progress: [], malformed: [] })
  })

  it.runIf(posix)('reports a FIFO once and does not block on it', { timeout: 5000 }, () => {
    execFileSync('mkfifo', [path])
    const reader = new ProgressReader(path)
    expect(reader.read()).toEqual({
      progress: [],
      malformed: ['progress.jsonl is not a regular file (a FIFO)'],
    })
    expect(reader.read()).toEqual({ progress: [], malformed: [] })
  })

  it('reports a directory once', () => {
    mkdirSync(path)
    const reader = new ProgressReader(path)
    const { progress, malformed } = reader.read()
    expect(progress).toEqual([])
    expect(malformed).toHaveLength(1)
    expect(malformed[0]).toMatch(/not a regular file \(a directory\)/)
    expect(reader.read()).toEqual({ progress: [], malformed: [] })
  })

  it.runIf(posix)('does not follow a symlink, to /dev/zero or to a file', { timeout: 5000 }, () => {
    symlinkSync('/dev/zero', path)
    const reader = new ProgressReader(path)
    expect(reader.read()).toEqual({
      progress: [],
      malformed: ['progress.jsonl is not a regular file (a symlink)'],
    })
    expect(reader.read()).toEqual({ progress: [], malformed: [] })

    const other = join(dir, 'secret.jsonl')
    writeFileSync(other, line('leaked'))
    const linked = join(dir, 'linked.jsonl')
    symlinkSync(other, linked)
    expect(new ProgressReader(linked).read()).toEqual({
      progress: [],
      malformed: ['progress.jsonl is not a regular file (a symlink)'],
    })
  })

  it('keeps a multi-byte character cut between reads whole', () => {
    const reader = new ProgressReader(path)
    const bytes = Buffer.from(line('ship', 'fertig – 😀'))
    const cut = bytes.indexOf(Buffer.from('😀')) + 2
    writeFileSync(path, bytes.subarray(0, cut))
    expect(reader.read()).toEqual({ progress: [], malformed: [] })
    appendFileSync(path, bytes.subarray(cut))
    expect(reader.read().progress).toEqual([
      { stage: 'ship', status: 'started', message: 'fertig – 😀' },
    ])
  })

  it('keeps a character cut by the 1 MB read limit whole', () => {
    // 1 MB of blank lines, then a line whose "€" straddles the limit.
    const head = '\n'.repeat(1024 * 1024 - 11)
    const text = `${head}{"stage":"€uro"}\n`
    expect(Buffer.byteLength(head + '{"stage":"')).toBeLessThan(1024 * 1024)
    expect(Buffer.byteLength(head + '{"stage":"€')).toBeGreaterThan(1024 * 1024)
    writeFileSync(path, text)
    const reader = new ProgressReader(path)
    expect(reader.read()).toEqual({ progress: [], malformed: [] })
    expect(reader.read()).toEqual({
      progress: [{ stage: '€uro', status: 'started' }],
      malformed: [],
    })
  })

  it('drops a line past 64 KB, reported once, across reads, and goes on after it', () => {
    const reader = new ProgressReader(path)
    writeFileSync(path, 'x'.repeat(3 * 1024 * 1024))
    const first = reader.read()
    expect(first.progress).toEqual([])
    expect(first.malformed).toEqual(['a line longer than 64 KB was dropped'])
    expect(reader.read()).toEqual({ progress: [], malformed: [] })
    appendFileSync(path, `x\n${line('after')}`)
    expect(reader.read()).toEqual({ progress: [], malformed: [] })
    expect(reader.read()).toEqual({
      progress: [{ stage: 'after', status: 'started' }],
      malformed: [],
    })
  })
})
