// The queue's steps on real files: one claim per spec, renewals, stale claims going back as new
// files, results published whole or not at all, and what a crash half-way leaves being finished.
import { execFileSync } from 'node:child_process'
import {
  existsSync,
  readdirSync,
  rmSync,
  statSync,
  readFileSync,
  renameSync,
  symlinkSync,
  lutimesSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDirs } from '../runs/testing'
import {
  claim,
  ensureQueue,
  holds,
  listWaiting,
  locate,
  publishResult,
  publishSpec,
  renew,
  withdraw,
} from './maildir'
import { release, returnStaleClaims } from './staleClaims'

const dirs = tempDirs()
afterEach(() => dirs.removeAll())

function newQueue(...ids: string[]): string {
  const queue = join(dirs.make('factory-queue-'), 'q')
  ensureQueue(queue)
  for (const id of ids) publishSpec(queue, id, `spec ${id}\n`)
  return queue
}

/** Makes a claim look `ms` old, as if its drainer stopped renewing that long ago. */
function age(path: string, ms: number): void {
  const then = new Date(Date.now() - ms)
  // The entry's own times: a link is aged itself, never what it points to.
  lutimesSync(path, then, then)
}

describe('a queue directory', () => {
  it('lists waiting specs oldest run first and ignores what is not a spec', () => {
    const queue = newQueue('r_10-a', 'r_2-a', 'r_1-b')
    writeFileSync(join(queue, 'new', '.hidden.md'), '')
    writeFileSync(join(queue, 'new', 'notes.txt'), '')
    expect(listWaiting(queue)).toEqual(['r_1-b', 'r_2-a', 'r_10-a'])
    expect(readdirSync(join(queue, 'tmp'))).toEqual([])
  })

  it('lets exactly one claimer have a spec, touched fresh even if it waited for hours', () => {
    const queue = newQueue('r_1-a')
    age(join(queue, 'new', 'r_1-a.md'), 3_600_000)
    const first = claim(queue, 'r_1-a')
    expect(first).toMatchObject({ id: 'r_1-a', path: join(queue, 'cur', 'r_1-a.md') })
    expect(claim(queue, 'r_1-a')).toBeUndefined()
    expect(returnStaleClaims(queue, 60_000).returned).toEqual([])
    expect(locate(queue, 'r_1-a')).toBe('claimed')
  })

  it('returns a stale claim to new/ as a new file, so its old holder knows it lost it', () => {
    const queue = newQueue('r_1-a')
    const first = claim(queue, 'r_1-a')!
    expect(renew(first)).toBe(true)
    age(first.path, 5000)
    expect(returnStaleClaims(queue, 1000).returned).toEqual(['r_1-a'])
    expect(locate(queue, 'r_1-a')).toBe('waiting')
    expect(readFileSync(join(queue, 'new', 'r_1-a.md'), 'utf8')).toBe('spec r_1-a\n')
    const second = claim(queue, 'r_1-a')!
    expect(second.ino).not.toBe(first.ino)
    // The old holder wakes up: its renewal and its result are refused, the new claim stands.
    expect(renew(first)).toBe(false)
    expect(publishResult(first, 'done', { json: '{}' })).toBe(false)
    expect(holds(second)).toBe(true)
    expect(publishResult(second, 'done', { json: '{"id":"r_1-a"}' })).toBe(true)
    expect(locate(queue, 'r_1-a')).toBe('done')
    expect(readdirSync(join(queue, 'cur'))).toEqual([])
  })

  it('publishes a result folder first and its JSON last, once', () => {
    const queue = newQueue('r_1-a')
    const held = claim(queue, 'r_1-a')!
    const prepared = join(queue, 'tmp', 'result-x')
    ensureQueue(prepared) // any folder will do
    // What an earlier attempt left when it died before its JSON: not a result, replaced.
    ensureQueue(join(queue, 'done', 'r_1-a'))
    expect(publishResult(held, 'failed', { json: '{"n":1}', dir: prepared })).toBe(true)
    expect(existsSync(join(queue, 'failed', 'r_1-a', 'new'))).toBe(true)
    expect(existsSync(join(queue, 'done', 'r_1-a'))).toBe(false)
    expect(readFileSync(join(queue, 'failed', 'r_1-a.result.json'), 'utf8')).toBe('{"n":1}')
  })

  it('gives a claim back when its drainer stops', () => {
    const queue = newQueue('r_1-a')
    const held = claim(queue, 'r_1-a')!
    expect(release(held)).toBe(true)
    expect(locate(queue, 'r_1-a')).toBe('waiting')
    expect(release(held)).toBe(false)
  })

  it('finishes what a crash left half done', () => {
    const queue = newQueue('r_1-a', 'r_2-a')
    // Died while returning r_1-a: the file sits in tmp/ under a stamped name.
    const one = claim(queue, 'r_1-a')!
    renameSync(one.path, join(queue, 'tmp', `r_1-a.md.returning-${Date.now() - 5000}-9-ab`))
    // Died while publishing r_2-a's result, after the JSON made it: only the claim is left.
    const two = claim(queue, 'r_2-a')!
    writeFileSync(join(queue, 'done', 'r_2-a.result.json'), '{}')
    renameSync(two.path, join(queue, 'cur', `r_2-a.md.finishing-${Date.now() - 5000}-9-ab`))
    expect(locate(queue, 'r_1-a')).toBe('moving')
    expect(returnStaleClaims(queue, 1000).returned).toEqual(['r_1-a'])
    expect(locate(queue, 'r_1-a')).toBe('waiting')
    expect(locate(queue, 'r_2-a')).toBe('done')
    expect(readdirSync(join(queue, 'cur'))).toEqual([])
    expect(readdirSync(join(queue, 'tmp'))).toEqual([])
  })

  it('never hangs on, nor returns as a spec, a FIFO or a link left in cur/', () => {
    const queue = newQueue()
    const fifo = join(queue, 'cur', 'r_1-a.md')
    execFileSync('mkfifo', [fifo])
    age(fifo, 5000)
    symlinkSync('/etc/passwd', join(queue, 'cur', 'r_2-a.md'))
    age(join(queue, 'cur', 'r_2-a.md'), 5000)
    expect(returnStaleClaims(queue, 1000).returned).toEqual([])
    expect(listWaiting(queue)).toEqual([])
    expect(readdirSync(join(queue, 'tmp'))).toHaveLength(2)
  })

  it('touches nothing outside the queue through a link in new/: claimed, renewed, returned', () => {
    const queue = newQueue()
    const outside = join(queue, '..', 'precious.txt')
    writeFileSync(outside, 'keep me\n')
    age(outside, 86_400_000)
    const before = statSync(outside)
    symlinkSync(outside, join(queue, 'new', 'r_1-a.md'))
    const claimed = claim(queue, 'r_1-a')!
    expect(renew(claimed)).toBe(true)
    age(claimed.path, 5000)
    expect(returnStaleClaims(queue, 1000).returned).toEqual([])
    const after = statSync(outside)
    expect([after.mtimeMs, after.atimeMs]).toEqual([before.mtimeMs, before.atimeMs])
    expect(readFileSync(outside, 'utf8')).toBe('keep me\n')
  })

  it('refuses a queue whose folder is a link, before anything is renamed into it', () => {
    const queue = newQueue()
    const elsewhere = dirs.make('factory-elsewhere-')
    rmSync(join(queue, 'cur'), { recursive: true })
    symlinkSync(elsewhere, join(queue, 'cur'))
    expect(() => ensureQueue(queue)).toThrow(/cur is a symbolic link/)
    rmSync(join(queue, 'cur'))
    writeFileSync(join(queue, 'cur'), '')
    expect(() => ensureQueue(queue)).toThrow(/cur is not a folder/)
    expect(readdirSync(elsewhere)).toEqual([])
  })

  it('withdraws a spec from new/, or its claim from cur/', () => {
    const queue = newQueue('r_1-a', 'r_2-a')
    expect(withdraw(queue, 'r_1-a')).toBe(true)
    const held = claim(queue, 'r_2-a')!
    expect(withdraw(queue, 'r_2-a')).toBe(true)
    expect(renew(held)).toBe(false)
    expect(withdraw(queue, 'r_2-a')).toBe(false)
    expect(locate(queue, 'r_1-a')).toBe('missing')
    expect(readdirSync(join(queue, 'tmp'))).toEqual([])
  })
})
