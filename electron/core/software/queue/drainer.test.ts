import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDirs } from '../runs/testing'
import { drain } from './drainer'

const dirs = tempDirs()
afterEach(() => dirs.removeAll())

/** One pass over `queue` that stops once nothing waits; what it said on stderr. */
async function drainUntilEmpty(queue: string): Promise<{ drained: unknown[]; notes: string[] }> {
  const notes: string[] = []
  const drained = await drain({
    queue,
    untilEmpty: true,
    stop: new AbortController().signal,
    say: () => {},
    note: (text) => notes.push(text),
  })
  return { drained, notes }
}

describe('a drainer', () => {
  it('says when it made the queue folder itself, so a mistyped path shows', async () => {
    const queue = join(dirs.make('factory-drainer-'), 'typo-queue')
    const first = await drainUntilEmpty(queue)
    expect(first.drained).toEqual([])
    expect(first.notes).toEqual([`${queue} did not exist; made it as an empty queue`])
    expect(existsSync(join(queue, 'new'))).toBe(true)

    // The second time the queue is there: nothing to say.
    expect((await drainUntilEmpty(queue)).notes).toEqual([])
  })
})
