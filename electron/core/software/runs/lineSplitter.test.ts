// An agent's output split into lines: whole characters across chunks, bounded lines, linear time.
import { describe, expect, it } from 'vitest'
import { LineSplitter, TRUNCATED_SUFFIX } from './lineSplitter'

function split(chunks: (string | Buffer)[], maxLine?: number): string[] {
  const lines: string[] = []
  const splitter = new LineSplitter((line) => lines.push(line), maxLine)
  for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
  splitter.end()
  return lines
}

describe('LineSplitter', () => {
  it('splits lines across chunks, strips \\r and flushes the partial at the end', () => {
    expect(split(['one\r\ntw', 'o\n\nthr', 'ee'])).toEqual(['one', 'two', '', 'three'])
    // A "\r\n" split between chunks.
    expect(split(['a\r', '\nb\n'])).toEqual(['a', 'b'])
    expect(split(['x\n'])).toEqual(['x'])
    expect(split([])).toEqual([])
  })

  it('keeps multi-byte characters split across chunks whole', () => {
    const bytes = Buffer.from('€😀\nü\n')
    // Every single byte its own chunk: no character arrives whole.
    const chunks = [...bytes].map((byte) => Buffer.from([byte]))
    expect(split(chunks)).toEqual(['€😀', 'ü'])
  })

  it('cuts a line longer than maxLine once and drops the rest until its newline', () => {
    const calls: [string, boolean][] = []
    const splitter = new LineSplitter((line, truncated) => calls.push([line, truncated]), 10)
    splitter.push(Buffer.from('0123456'))
    splitter.push(Buffer.from('789abcdef'))
    splitter.push(Buffer.from('more and more'))
    splitter.push(Buffer.from(' the end\nnext\n'))
    splitter.end()
    expect(calls).toEqual([
      [`0123456789${TRUNCATED_SUFFIX}`, true],
      ['next', false],
    ])
    // Within one chunk too, and a line of exactly maxLine (even before its "\r\n") is whole.
    expect(split(['0123456789abc\n0123456789\r', '\n'], 10)).toEqual([
      `0123456789${TRUNCATED_SUFFIX}`,
      '0123456789',
    ])
    // An overlong partial at the end is not emitted a second time.
    expect(split(['0123456789abc'], 10)).toEqual([`0123456789${TRUNCATED_SUFFIX}`])
  })

  it('takes a 50 MB line without newline in linear time and bounded memory', () => {
    const lines: string[] = []
    const splitter = new LineSplitter((line) => lines.push(line))
    const chunk = Buffer.alloc(64 * 1024, 'x')
    const started = Date.now()
    for (let sent = 0; sent < 50 * 1024 * 1024; sent += chunk.length) splitter.push(chunk)
    splitter.push(Buffer.from('\nafter\n'))
    splitter.end()
    expect(Date.now() - started).toBeLessThan(2000)
    expect(lines).toHaveLength(2)
    expect(lines[0]).toBe('x'.repeat(1024 * 1024) + TRUNCATED_SUFFIX)
    expect(lines[1]).toBe('after')
    // Nothing of the dropped 49 MB is held on to.
    expect((splitter as unknown as { partial: string }).partial).toBe('')
  })
})
