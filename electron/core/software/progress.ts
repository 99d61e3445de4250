// Follows FACTORY_OUTPUT_DIR/progress.jsonl, where a run may report its stage
// ({"stage":"verify","status":"started","message":"…"}). Read incrementally by offset; a partial
// last line waits for its newline; malformed lines are reported, never fatal.
import { closeSync, openSync, readSync, statSync } from 'node:fs'
import { z } from 'zod'

const progressLineSchema = z.object({
  stage: z.string().trim().min(1).max(60),
  status: z.string().trim().min(1).max(40).default('started'),
  message: z.string().max(2000).optional(),
})

export type ProgressLine = z.infer<typeof progressLineSchema>

export class ProgressReader {
  private offset = 0
  private partial = ''

  constructor(private readonly path: string) {}

  /** New complete lines since the last call: parsed progress, or the text of a malformed line. */
  read(): { progress: ProgressLine[]; malformed: string[] } {
    const progress: ProgressLine[] = []
    const malformed: string[] = []
    let size: number
    try {
      size = statSync(this.path).size
    } catch {
      return { progress, malformed }
    }
    if (size <= this.offset) return { progress, malformed }
    const length = Math.min(size - this.offset, 1024 * 1024)
    const buffer = Buffer.alloc(length)
    const fd = openSync(this.path, 'r')
    try {
      readSync(fd, buffer, 0, length, this.offset)
    } finally {
      closeSync(fd)
    }
    this.offset += length
    const lines = (this.partial + buffer.toString('utf8')).split('\n')
    this.partial = lines.pop() ?? ''
    for (const line of lines) {
      if (!line.trim()) continue
      try {
        const parsed = progressLineSchema.safeParse(JSON.parse(line))
        if (parsed.success) progress.push(parsed.data)
        else malformed.push(line.slice(0, 200))
      } catch {
        malformed.push(line.slice(0, 200))
      }
    }
    return { progress, malformed }
  }
}
