import { describe, expect, it } from 'vitest'
import type { TranscriptEntry } from '../../../shared/runs'
import { MAX_PAGES, PAGE_SIZE, TranscriptWindow } from './transcriptWindow'

const page = (n: number, size = PAGE_SIZE): TranscriptEntry[] =>
  Array.from({ length: size }, (_, i) => ({ kind: 'text', text: `entry ${n * PAGE_SIZE + i}` }))

describe('TranscriptWindow', () => {
  it('asks only for the pages on screen that it lacks, including a growing last page', () => {
    const window = new TranscriptWindow()
    window.total = 450
    expect(window.missing(0, 50)).toEqual([0])
    window.store(0, page(0), 450)
    expect(window.missing(150, 260)).toEqual([1])
    window.store(2, page(2, 40), 450)
    expect(window.missing(400, 450)).toEqual([2])
    window.store(2, page(2, 50), 450)
    expect(window.missing(400, 450)).toEqual([])
    expect(window.entry(401)).toEqual({ kind: 'text', text: 'entry 401' })
  })

  it('holds a bounded number of entries however far the user scrolls', () => {
    const window = new TranscriptWindow()
    const total = 100_000
    for (let p = 0; p < total / PAGE_SIZE; p++) window.store(p, page(p), total)
    expect(window.heldEntries).toBe(MAX_PAGES * PAGE_SIZE)
    // The pages kept are the ones nearest the last one read.
    const last = total / PAGE_SIZE - 1
    expect(window.entry(last * PAGE_SIZE)).toBeDefined()
    expect(window.entry(0)).toBeUndefined()
  })
})
