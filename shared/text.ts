// Text as it enters and leaves: every string an operation takes must be well-formed Unicode (a lone
// surrogate would be stored as invalid UTF-8), and text printed to a terminal carries nothing the
// terminal would execute (escape sequences that retitle or clear it, bidirectional overrides that
// reorder what is shown).

/** Control characters a terminal acts on: C0 but tab and newline, DEL, C1. */

const TERMINAL_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g
/** Bidirectional embeddings, overrides and isolates: they reorder how a line reads. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g

/** Where in `value` (a path like "tags.0") a string is not well-formed Unicode, if anywhere. */
export function illFormedAt(value: unknown, path: string[] = []): string | undefined {
  if (typeof value === 'string') {
    return value.isWellFormed() ? undefined : path.join('.') || 'the input'
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = illFormedAt(value[i], [...path, String(i)])
      if (found) return found
    }
    return undefined
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const found = illFormedAt(key, [...path, 'a key']) ?? illFormedAt(inner, [...path, key])
      if (found) return found
    }
  }
  return undefined
}

/** True when `text` holds a control character other than tab, newline and carriage return. */
export function hasControlCharacters(text: string, allowLineBreaks = false): boolean {
  return (
    allowLineBreaks
      ? /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/
      : /[\u0000-\u001f\u007f-\u009f]/
  ).test(text)
}

/** `text` as a terminal should get it: controls shown as `\x1b`, overrides as `\u202e`. */
export function printable(text: string): string {
  return text
    .toWellFormed()
    .replace(TERMINAL_CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(BIDI_CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
}

/** Colour and style (SGR): the one kind of escape sequence a log may keep, as it changes no state. */
const SGR = /\u001b\[[0-9;:]{0,64}m/g
/** What may be the start of an SGR sequence or of a CRLF, cut off at the end of a chunk. */
const UNFINISHED_TAIL = /(?:\u001b(?:\[[0-9;:]{0,64})?|\r)$/

/**
 * An agent's log as a terminal should get it, fed one chunk at a time: its colours kept, a lone
 * carriage return (a progress bar redrawing its line) turned into a new line so nothing written
 * before it is hidden, and every other control shown as text. What might be the start of a
 * sequence finished by the next chunk waits for it.
 */
export class PrintableLog {
  private pending = ''

  push(chunk: string): string {
    const text = this.pending + chunk
    const tail = UNFINISHED_TAIL.exec(text)?.[0] ?? ''
    this.pending = tail
    return printableLogText(text.slice(0, text.length - tail.length))
  }

  /** The end of the log: what was held back, as text. */
  end(): string {
    const rest = this.pending
    this.pending = ''
    return printableLogText(rest)
  }
}

function printableLogText(text: string): string {
  let shown = ''
  let from = 0
  const plain = (part: string) => printable(part.replace(/\r\n/g, '\n').replace(/\r/g, '\n'))
  for (const match of text.matchAll(SGR)) {
    shown += plain(text.slice(from, match.index)) + match[0]
    from = match.index + match[0].length
  }
  return shown + plain(text.slice(from))
}
