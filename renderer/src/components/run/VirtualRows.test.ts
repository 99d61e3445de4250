import { describe, expect, it } from 'vitest'
import { layout } from './VirtualRows'

describe('layout', () => {
  it('places fixed rows and taller expanded rows, and finds the row under a point', () => {
    const geometry = layout(100_000, 20, new Map([[10, 200]]))
    expect(geometry.total).toBe(100_000 * 20 + 180)
    expect(geometry.top(10)).toBe(200)
    expect(geometry.top(11)).toBe(400)
    expect(geometry.indexAt(199)).toBe(9)
    expect(geometry.indexAt(350)).toBe(10)
    expect(geometry.indexAt(400)).toBe(11)
    expect(geometry.indexAt(1e9)).toBe(99_999)
  })

  it('ignores heights for rows beyond the count', () => {
    expect(layout(5, 20, new Map([[9, 500]])).total).toBe(100)
  })
})
