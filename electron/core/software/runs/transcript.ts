// A run's files on disk: the raw log (every byte the agent printed, in order) and the structured
// transcript (one JSON line per entry) with an index of line ends, so any window of a 100,000-entry
// transcript is two small reads, and nobody ever loads a whole log into memory.
import {
  closeSync,
  fstatSync,
  ftruncateSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import type {
  LogChunk,
  RunId,
  RunState,
  StageEvent,
  TranscriptEntry,
  TranscriptPage,
} from '../../../../shared/runs'

export const RUN_FILES = {
  spec: 'spec.md',
  log: 'output.log',
  transcript: 'transcript.jsonl',
  index: 'transcript.idx',
  output: 'output',
  timeline: 'stages.json',
  supervisorLog: 'supervisor.log',
} as const

/** 8 bytes per entry: the byte offset just past its line in transcript.jsonl. */
const INDEX_WIDTH = 8
const MAX_TIMELINE = 500

/** fs.writeSync's shape; injectable so tests can simulate short writes and a full disk. */
export type WriteFn = (fd: number, buffer: Buffer, offset: number, length: number) => number

/** All of `buffer`: a write may take only part of it (a full disk, a signal). */
function writeAll(fn: WriteFn, fd: number, buffer: Buffer): { written: number; error?: unknown } {
  let written = 0
  try {
    while (written < buffer.length) {
      const n = fn(fd, buffer, written, buffer.length - written)
      // Zero bytes taken would loop forever; treat it as the failure it is.
      if (n <= 0) throw new Error(`write took 0 of ${buffer.length - written} bytes`)
      written += n
    }
    return { written }
  } catch (error) {
    return { written, error }
  }
}

export class RunFiles {
  private readonly log: number
  private readonly transcript: number
  private readonly index: number
  /** transcript.jsonl's size with the pending entries (on disk: minus pendingBytes). */
  private transcriptSize: number
  private indexSize: number
  private pending: Buffer[] = []
  private pendingEnds: number[] = []
  private pendingBytes = 0
  /** A failed flush whose files could not be cut back: appending after them would misplace. */
  private broken: unknown

  constructor(
    readonly runDir: string,
    private readonly write: WriteFn = (fd, buffer, offset, length) =>
      writeSync(fd, buffer, offset, length),
  ) {
    this.log = openSync(join(runDir, RUN_FILES.log), 'a')
    this.transcript = openSync(join(runDir, RUN_FILES.transcript), 'a')
    this.index = openSync(join(runDir, RUN_FILES.index), 'a')
    this.transcriptSize = fstatSync(this.transcript).size
    this.indexSize = fstatSync(this.index).size
  }

  /** Raw bytes, written as they came; throws (e.g. ENOSPC) so the run can fail. */
  writeLog(chunk: Buffer | string): void {
    const { error } = writeAll(this.write, this.log, Buffer.from(chunk))
    if (error !== undefined) throw error
  }

  /** Buffered; `flush` makes it visible. Entries are written before their index, never after. */
  append(entry: TranscriptEntry): void {
    const line = Buffer.from(`${JSON.stringify(entry)}\n`)
    this.transcriptSize += line.length
    this.pending.push(line)
    this.pendingEnds.push(this.transcriptSize)
    this.pendingBytes += line.length
    if (this.pendingBytes > 256 * 1024) this.flush()
  }

  /**
   * Transcript bytes first, then index entries only for lines wholly on disk, so the index never
   * points past what was written. On failure the pending entries are dropped (not retried, which
   * could duplicate those already written) and the error is rethrown for the caller to fail the run.
   */
  flush(): void {
    if (this.pending.length === 0) return
    const data = Buffer.concat(this.pending)
    const ends = this.pendingEnds
    const base = this.transcriptSize - this.pendingBytes
    this.pending = []
    this.pendingEnds = []
    this.pendingBytes = 0
    if (this.broken !== undefined) throw this.broken
    const body = writeAll(this.write, this.transcript, data)
    const whole = ends.filter((end) => end <= base + body.written)
    const index = Buffer.alloc(whole.length * INDEX_WIDTH)
    whole.forEach((end, i) => index.writeBigUInt64LE(BigInt(end), i * INDEX_WIDTH))
    const indexed = writeAll(this.write, this.index, index)
    const entries = Math.floor(indexed.written / INDEX_WIDTH)
    this.indexSize += entries * INDEX_WIDTH
    const error = body.error ?? indexed.error
    if (error === undefined) return
    // Both files cut back to the last indexed entry: no torn index entry, no bytes that no entry
    // points to (a torn line). Shrinking a file needs no space, so this works on a full disk.
    this.transcriptSize = entries > 0 ? whole[entries - 1]! : base
    try {
      ftruncateSync(this.index, this.indexSize)
      ftruncateSync(this.transcript, this.transcriptSize)
    } catch {
      this.broken = error
    }
    throw error
  }

  close(): void {
    try {
      this.flush()
    } finally {
      for (const fd of [this.log, this.transcript, this.index]) closeSync(fd)
    }
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size
  } catch {
    return 0
  }
}

export function transcriptLength(runDir: string): number {
  return Math.floor(sizeOf(join(runDir, RUN_FILES.index)) / INDEX_WIDTH)
}

function readAt(path: string, offset: number, length: number): Buffer {
  // Nothing to read (a run queued remotely, or not started yet, has no files at all).
  if (length <= 0) return Buffer.alloc(0)
  const fd = openSync(path, 'r')
  try {
    const buffer = Buffer.alloc(Math.max(0, length))
    const read = readSync(fd, buffer, 0, buffer.length, offset)
    return buffer.subarray(0, read)
  } finally {
    closeSync(fd)
  }
}

const UNREADABLE: TranscriptEntry = {
  kind: 'raw',
  stream: 'stderr',
  text: '[unreadable transcript line]',
}

/** A torn line (a crash mid-write) reads as a placeholder, so the window around it still reads. */
function parseEntry(line: Buffer): TranscriptEntry {
  try {
    const entry: unknown = JSON.parse(line.toString('utf8'))
    const ok = typeof entry === 'object' && entry !== null && 'kind' in entry
    return ok ? (entry as TranscriptEntry) : UNREADABLE
  } catch {
    return UNREADABLE
  }
}

export function readTranscript(
  runDir: string,
  runId: RunId,
  state: RunState,
  from: number,
  limit: number,
): TranscriptPage {
  const total = transcriptLength(runDir)
  const start = Math.min(Math.max(0, from), total)
  // Ends of entries start-1 … start+count-1: the first gives where entry `start` begins.
  const first = start === 0 ? 0 : start - 1
  const wanted = Math.max(0, Math.min(limit, total - start))
  const index = join(runDir, RUN_FILES.index)
  const ends = readAt(index, first * INDEX_WIDTH, (start + wanted - first) * INDEX_WIDTH)
  // Fewer ends than asked if the index was cut back meanwhile.
  const count = Math.min(wanted, Math.floor(ends.length / INDEX_WIDTH) - (start - first))
  if (count <= 0) return { runId, from: start, total, entries: [], state }
  const endAt = (i: number): number => Number(ends.readBigUInt64LE((i - first) * INDEX_WIDTH))
  const path = join(runDir, RUN_FILES.transcript)
  const begin = start === 0 ? 0 : endAt(start - 1)
  // Bounded by the file, whatever a corrupt index says.
  const bytes = readAt(path, begin, Math.min(endAt(start + count - 1), sizeOf(path)) - begin)
  const entries: TranscriptEntry[] = []
  for (let i = start; i < start + count; i++) {
    const from = (i === 0 ? 0 : endAt(i - 1)) - begin
    entries.push(parseEntry(bytes.subarray(Math.max(0, from), Math.max(0, endAt(i) - begin))))
  }
  return { runId, from: start, total, entries, state }
}

/** A window of the raw log; offset < 0 counts from the end (the tail). */
export function readLog(runDir: string, runId: RunId, offset: number, limit: number): LogChunk {
  return { runId, ...readLogWindow(runDir, offset, limit) }
}

const isContinuation = (byte: number): boolean => (byte & 0xc0) === 0x80

/** Bytes at the end of `bytes` that start a UTF-8 character without finishing it (0–3). */
function unfinishedTail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!
    if (isContinuation(byte)) continue
    const needs = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1
    return needs > back ? back : 0
  }
  return 0
}

function readLogWindow(runDir: string, offset: number, limit: number): Omit<LogChunk, 'runId'> {
  const path = join(runDir, RUN_FILES.log)
  const size = sizeOf(path)
  const start = offset < 0 ? Math.max(0, size + offset) : Math.min(offset, size)
  const length = Math.min(limit, size - start)
  if (length <= 0) return { offset: start, size, text: '' }
  // Whole characters only: readers continue at offset + byteLength(text), which is where this
  // window really ended only if no multi-byte character was cut in two at either edge (a cut one
  // would come back as U+FFFD, whose 3 bytes are not the 1–3 read, and the next window would
  // skip or repeat bytes). So a cut character at the start is skipped (a tail read lands
  // anywhere), and one at the end is left for the next window (also while it is being written).
  const bytes = readAt(path, start, length)
  let from = 0
  while (from < Math.min(3, bytes.length) && isContinuation(bytes[from]!)) from++
  const whole = bytes.subarray(from, bytes.length - unfinishedTail(bytes.subarray(from)))
  // Only a window too small for one whole character, before the end, keeps its cut bytes
  // (rather than return nothing forever); at the end, nothing until the character is complete.
  if (whole.length === 0 && start + bytes.length < size)
    return { offset: start, size, text: bytes.toString('utf8') }
  return { offset: start + from, size, text: whole.toString('utf8') }
}

/** The last `lines` lines of the raw log, for a failed run's card. */
export function logTail(runDir: string, lines = 20): string | null {
  const { text } = readLogWindow(runDir, -16 * 1024, 16 * 1024)
  if (!text) return null
  return text.trimEnd().split('\n').slice(-lines).join('\n').slice(-4000)
}

/** The stage timeline the supervisor keeps (small: one entry per reported stage change). */
export function readTimeline(runDir: string): StageEvent[] {
  try {
    const timeline: unknown = JSON.parse(readFileSync(join(runDir, RUN_FILES.timeline), 'utf8'))
    return Array.isArray(timeline) ? (timeline.slice(-MAX_TIMELINE) as StageEvent[]) : []
  } catch {
    return []
  }
}

export function writeTimeline(runDir: string, timeline: StageEvent[]): void {
  // Written whole and renamed into place, so a reader never sees half a file.
  const path = join(runDir, RUN_FILES.timeline)
  writeFileSync(`${path}.tmp`, JSON.stringify(timeline.slice(-MAX_TIMELINE)))
  renameSync(`${path}.tmp`, path)
}

/** How a follow-up's spec file introduces the reviewer's comments (its last section). */
export const REVIEW_HEADING = '## Reviewer comments (requested changes)'

/** The reviewer's comments a follow-up run was given, read back from its spec file. */
export function readReviewerComments(runDir: string): string | null {
  let text: string
  try {
    text = readFileSync(join(runDir, RUN_FILES.spec), 'utf8')
  } catch {
    return null
  }
  const at = text.lastIndexOf(`\n${REVIEW_HEADING}\n`)
  return at < 0 ? null : text.slice(at + REVIEW_HEADING.length + 2).trim() || null
}
