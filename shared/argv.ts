// Splitting `--command "claude -p {specFile}"` into an argv the way a POSIX shell would split words
// (quotes and backslashes), but with nothing else a shell does: no variables, no globs, no $(…).
export function splitArgv(text: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false
  let quote: '"' | "'" | null = null
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quote === "'") {
      if (ch === "'") quote = null
      else word += ch
    } else if (quote === '"') {
      if (ch === '"') quote = null
      else if (ch === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!))
        word += text[++i]
      else word += ch
    } else if (ch === "'" || ch === '"') {
      quote = ch
      inWord = true
    } else if (ch === '\\' && i + 1 < text.length) {
      word += text[++i]
      inWord = true
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += ch
      inWord = true
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote in "${text}"`)
  if (inWord) words.push(word)
  return words
}

/** The other way: an argv as one line that splitArgv reads back word for word. */
export function joinArgv(argv: readonly string[]): string {
  return argv
    .map((word) =>
      word !== '' && /^[\w@%+=:,./{}-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`,
    )
    .join(' ')
}
