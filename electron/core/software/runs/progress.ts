// Follows FACTORY_OUTPUT_DIR/progress.jsonl, where a run may report its stage
// ({"stage":"verify","status":"started","message":"…"}). Read incrementally by offset; a partial
// last line waits for its newline; malformed lines are reported, never fatal.
//
// The file is the agent's to make, so it may be hostile: a FIFO (reading would block the
// supervisor), a symlink to /dev/zero (endless), a directory, or one endless line. So `read` never
// throws and never blocks: it opens without following links and without blocking, reads only a
// regular file, at most 1 MB per call, and drops a line past 64 KB.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs'
import { z } from 'zod'
import { LineSplitter } from './lineSplitter'

const progressLineSchema = z.object({
  stage: z.string().trim().min(1).max(60),
  status: z.string().trim().min(1).max(40).default('started'),
  message: z.string().max(2000).optional(),
})

export type ProgressLine = z.infer<typeof progressLineSchema>

const MAX_READ = 1024 * 1024
const MAX_LINE = 64 * 1024

// O_NOFOLLOW and O_NONBLOCK are undefined on Windows (where FIFOs and symlinks here are moot).
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0)

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory'
  if (stats.isFIFO()) return 'a FIFO'
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device'
  if (stats.isSocket()) return 'a socket'
  return 'not a regular file'
}

export class ProgressReader {
  private offset = 0
  /** Problems with the file itself, each reported once (it is polled every second or so). */
  private readonly reported = new Set<string>()
  private progress: ProgressLine[] = []
  private malformed: string[] = []
  // Keeps the decoder and the partial line across calls: a character or a line cut by the 1 MB
  // read limit (or by a writer mid-line) comes out whole on a later call.
  private readonly lines = new LineSplitter((line, truncated) => {
    if (truncated) this.malformed.push(`a line longer than ${MAX_LINE / 1024} KB was dropped`)
    else this.parse(line)
  }, MAX_LINE)

  constructor(private readonly path: string) {}

  /** New complete lines since the last call: parsed progress, or the text of a malformed line. */
  read(): { progress: ProgressLine[]; malformed: string[] } {
    this.progress = []
    this.malformed = []
    try {
      const chunk = this.readChunk()
      if (chunk) this.lines.push(chunk)
    } catch (error) {
      this.report(`progress.jsonl could not be read: ${(error as Error).message}`)
    }
    return { progress: this.progress, malformed: this.malformed }
  }

  private readChunk(): Buffer | undefined {
    let fd: number
    try {
      fd = openSync(this.path, OPEN_FLAGS)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      // Not written yet (or gone): nothing to read. ELOOP is O_NOFOLLOW refusing a symlink.
      if (code === 'ENOENT') return undefined
      if (code === 'ELOOP') this.report('progress.jsonl is not a regular file (a symlink)')
      else if (code === 'EISDIR') this.report('progress.jsonl is not a regular file (a directory)')
      else this.report(`progress.jsonl could not be opened: ${code ?? (error as Error).message}`)
      return undefined
    }
    try {
      const stats = fstatSync(fd)
      if (!stats.isFile()) {
        this.report(`progress.jsonl is not a regular file (${kindOf(stats)})`)
        return undefined
      }
      // Truncated or replaced by a shorter file: what was read stays read; wait for it to grow.
      if (stats.size <= this.offset) return undefined
      const buffer = Buffer.alloc(Math.min(stats.size - this.offset, MAX_READ))
      const read = readSync(fd, buffer, 0, buffer.length, this.offset)
      this.offset += read
      return buffer.subarray(0, read)
    } finally {
      closeSync(fd)
    }
  }

  private parse(line: string): void {
    if (!line.trim()) return
    try {
      const parsed = progressLineSchema.safeParse(JSON.parse(line))
      if (parsed.success) this.progress.push(parsed.data)
      else this.malformed.push(line.slice(0, 200))
    } catch {
      this.malformed.push(line.slice(0, 200))
    }
  }

  private report(problem: string): void {
    if (this.reported.has(problem)) return
    this.reported.add(problem)
    this.malformed.push(problem)
  }
}
