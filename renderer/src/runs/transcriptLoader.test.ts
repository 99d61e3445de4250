import { describe, expect, it } from 'vitest'
import type { TranscriptEntry } from '../../../shared/runs'
import { TranscriptLoader, type TranscriptPage } from './transcriptLoader'

/**
 * A run's transcript that grows, read the way the engine answers `run/transcript`: each read sees
 * the transcript as it is when asked, and its answer arrives when the test delivers it.
 */
function growingTranscript() {
  const entries: TranscriptEntry[] = []
  const answers: (() => void)[] = []
  const read = (from: number, limit: number): Promise<TranscriptPage> => {
    const seen = { entries: entries.slice(from, from + limit), total: entries.length }
    return new Promise((resolve) => answers.push(() => resolve(seen)))
  }
  return {
    read,
    print: (text: string) => entries.push({ kind: 'raw', stream: 'stdout', text }),
    /** Delivers every answer asked for so far, and what those answers made the loader ask. */
    async deliver() {
      while (answers.length) {
        for (const answer of answers.splice(0)) answer()
        await new Promise((resolve) => setTimeout(resolve, 0))
      }
    },
  }
}

const shown = (loader: TranscriptLoader): (string | undefined)[] =>
  Array.from({ length: loader.window.total }, (_, i) => {
    const entry = loader.window.entry(i)
    return entry?.kind === 'raw' ? entry.text : undefined
  })

describe('TranscriptLoader', () => {
  it('shows lines that came while a page was being read, once the run goes quiet', async () => {
    const run = growingTranscript()
    const loader = new TranscriptLoader(run.read, () => undefined, String)
    loader.open()
    await run.deliver()
    expect(loader.loaded).toBe(true)
    expect(loader.window.total).toBe(0)

    // The agent's first line is pushed; the page read goes out…
    run.print('compiling')
    loader.grew(1)
    // …and two more lines are printed and pushed before its answer comes back.
    run.print('linking')
    run.print('waiting for the server')
    loader.grew(3)
    await run.deliver()
    expect(shown(loader)).toEqual(['compiling', undefined, undefined])

    // The agent prints nothing more, so no push comes: the next recount reads the page again.
    loader.recount()
    await run.deliver()
    expect(shown(loader)).toEqual(['compiling', 'linking', 'waiting for the server'])
  })

  it('a push lost while the view opened is made up by the recount', async () => {
    const run = growingTranscript()
    let changes = 0
    const loader = new TranscriptLoader(run.read, () => changes++, String)
    loader.open()
    run.print('hello') // printed after the first read was answered on the engine's side
    await run.deliver()
    expect(loader.window.total).toBe(0)
    loader.recount()
    await run.deliver()
    expect(shown(loader)).toEqual(['hello'])
    expect(changes).toBeGreaterThan(1)
  })

  it('a closed view is told of nothing more', async () => {
    const run = growingTranscript()
    let changes = 0
    const loader = new TranscriptLoader(run.read, () => changes++, String)
    loader.open()
    loader.close()
    await run.deliver()
    expect(changes).toBe(0)
  })
})
