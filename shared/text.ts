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
