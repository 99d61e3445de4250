// A run's log in a terminal: the colours an agent prints stay, nothing that retitles, clears or
// moves the terminal gets through, and where the log was cut into chunks changes nothing.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PrintableLog } from './text'

const shown = (...chunks: string[]): string => {
  const log = new PrintableLog()
  return chunks.map((chunk) => log.push(chunk)).join('') + log.end()
}
/** Anything a terminal acts on, once colour sequences are taken out. */
const ACTIVE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

describe('a log printed to a terminal', () => {
  it('keeps colours and shows every other escape sequence as text', () => {
    expect(shown('\u001b[1;31merror\u001b[0m: failed')).toBe('\u001b[1;31merror\u001b[0m: failed')
    expect(shown('a\u001b]0;pwned\u0007b\u001b[2J\u001b[Hc')).toBe(
      'a\\x1b]0;pwned\\x07b\\x1b[2J\\x1b[Hc',
    )
    expect(shown('tab\there\u202e')).toBe('tab\there\\u202e')
  })

  it('turns a progress bar redrawing its line into lines, and CRLF into a new line', () => {
    expect(shown('10%\r50%\r100%\r\ndone\r\n')).toBe('10%\n50%\n100%\ndone\n')
  })

  it('reads the same however it was cut into chunks', () => {
    expect(shown('\u001b[3', '1mred\u001b', '[0m')).toBe('\u001b[31mred\u001b[0m')
    expect(shown('line\r', '\nnext')).toBe('line\nnext')
    expect(shown('cut\u001b[')).toBe('cut\\x1b[')
  })

  it('for any text cut anywhere: no control but colour gets through, and the cuts do not matter', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom('\u001b', '\u001b[', '\u001b[31m', '\u001b[0m', '\r', '\n', '\r\n', '\u009b'),
    )
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        (pieces, cuts) => {
          const text = pieces.join('')
          const whole = shown(text)
          expect(whole.replace(/\u001b\[[0-9;:]*m/g, '').replace(/[\n\t]/g, '')).not.toMatch(ACTIVE)
          // Cut between characters, as the log is read (a chunk never ends inside one).
          const characters = Array.from(text)
          const at = [...new Set(cuts.map((cut) => cut % (characters.length + 1)))].sort(
            (a, b) => a - b,
          )
          const chunks = [0, ...at].map((from, i) =>
            characters.slice(from, [...at, characters.length][i]).join(''),
          )
          expect(shown(...chunks)).toBe(whole)
        },
      ),
    )
  })
})
