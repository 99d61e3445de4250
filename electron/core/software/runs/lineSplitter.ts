// Splits an agent's output stream into lines. The agent is not trusted to print newlines: a
// 50 MB line without one must cost O(bytes) time and bounded memory, so only newly arrived text is
// searched for '\n' (never the growing partial line again), and a line past `maxLine` characters
// is emitted cut short once, the rest of it dropped until its newline.
import { StringDecoder } from 'node:string_decoder'

export const TRUNCATED_SUFFIX = ' … [line truncated]'

export class LineSplitter {
  // Kept across chunks, so a multi-byte character split between two chunks comes out whole.
  private readonly decoder = new StringDecoder('utf8')
  private partial = ''
  /** The current line was already emitted truncated: drop text until its newline. */
  private discarding = false

  /**
   * @param onLine called once per line, without its '\n' or a trailing '\r'; `truncated` is true
   * when the line was longer than `maxLine` and was cut (it then ends with TRUNCATED_SUFFIX).
   */
  constructor(
    private readonly onLine: (line: string, truncated: boolean) => void,
    private readonly maxLine = 1024 * 1024,
  ) {}

  push(chunk: Buffer): void {
    this.feed(this.decoder.write(chunk))
  }

  /** The stream is over: whatever is left is the last line (even without a newline). */
  end(): void {
    this.feed(this.decoder.end())
    if (this.partial && !this.discarding) this.emit(this.partial)
    this.partial = ''
    this.discarding = false
  }

  private feed(text: string): void {
    let start = 0
    for (;;) {
      const newline = text.indexOf('\n', start)
      if (newline === -1) break
      const piece = text.slice(start, newline)
      if (this.discarding) this.discarding = false
      else this.emit(this.partial + piece)
      this.partial = ''
      start = newline + 1
    }
    if (start < text.length) this.hold(text.slice(start))
  }

  /** Text of a line whose newline has not come yet. */
  private hold(piece: string): void {
    if (this.discarding) return
    // +1: a line of exactly maxLine characters may still be waiting for its "\r\n".
    if (this.partial.length + piece.length > this.maxLine + 1) {
      this.emit(this.partial + piece)
      this.partial = ''
      this.discarding = true
    } else {
      this.partial += piece
    }
  }

  private emit(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (line.length > this.maxLine)
      this.onLine(line.slice(0, this.maxLine) + TRUNCATED_SUFFIX, true)
    else this.onLine(line, false)
  }
}
