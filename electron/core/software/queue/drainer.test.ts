import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDirs } from '../testing'
import { drain } from './drainer'

const dirs = tempDirs()
afterEach(() => dirs.removeAll())

describe('a drainer', () => {
  it('says when it made the queue folder itself, so a mistyped path shows', async () => {
    const queue = join(dirs.make('factory-drainer-'), 'typo-queue')
    const notes: string[] = []
    const drained = await drain({
      queue,
      untilEmpty: true,
      stop: new AbortController().signal,
      say: () => {},
      note: (text) => notes.push(text),
    })
    expect(drained).toEqual([])
    expect(notes).toEqual([`${queue} did not exist; made it as an empty queue`])
    expect(existsSync(join(queue, 'new'))).toBe(true)

    // The second time the queue is there: nothing to say.
    notes.length = 0
    await drain({
      queue,
      untilEmpty: true,
      stop: new AbortController().signal,
      say: () => {},
      note: (t) => notes.push(t),
    })
    expect(notes).toEqual([])
  })
})
