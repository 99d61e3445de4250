// A run's files on disk: the raw log (every byte the agent printed, in order) and the structured
// transcript (one JSON line per entry) with an index of line ends, so any window of a 100,000-entry
// transcript is two small reads, and nobody ever loads a whole log into memory.
import {
  closeSync,
  fstatSync,
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
} from '../../../shared/runs'

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

export class RunFiles {
  private readonly log: number
  private readonly transcript: number
  private readonly index: number
  private transcriptSize: number
  private pending: Buffer[] = []
  private pendingEnds: number[] = []
  private pendingBytes = 0

  constructor(readonly runDir: string) {
    this.log = openSync(join(runDir, RUN_FILES.log), 'a')
    this.transcript = openSync(join(runDir, RUN_FILES.transcript), 'a')
    this.index = openSync(join(runDir, RUN_FILES.index), 'a')
    this.transcriptSize = fstatSync(this.transcript).size
  }

  /** Raw bytes, written as they came. */
  writeLog(chunk: Buffer | string): void {
    writeSync(this.log, typeof chunk === 'string' ? Buffer.from(chunk) : chunk)
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

  flush(): void {
    if (this.pending.length === 0) return
    writeSync(this.transcript, Buffer.concat(this.pending))
    const ends = Buffer.alloc(this.pendingEnds.length * INDEX_WIDTH)
    this.pendingEnds.forEach((end, i) => ends.writeBigUInt64LE(BigInt(end), i * INDEX_WIDTH))
    writeSync(this.index, ends)
    this.pending = []
    this.pendingEnds = []
    this.pendingBytes = 0
  }

  close(): void {
    this.flush()
    for (const fd of [this.log, this.transcript, this.index]) closeSync(fd)
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
  const fd = openSync(path, 'r')
  try {
    const buffer = Buffer.alloc(length)
    const read = readSync(fd, buffer, 0, length, offset)
    return buffer.subarray(0, read)
  } finally {
    closeSync(fd)
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
  const count = Math.min(limit, total - start)
  if (count <= 0) return { runId, from: start, total, entries: [], state }
  // Ends of entries start-1 … start+count-1: the first gives where entry `start` begins.
  const first = start === 0 ? 0 : start - 1
  const ends = readAt(
    join(runDir, RUN_FILES.index),
    first * INDEX_WIDTH,
    (start + count - first) * INDEX_WIDTH,
  )
  const endAt = (i: number): number => Number(ends.readBigUInt64LE(i * INDEX_WIDTH))
  const begin = start === 0 ? 0 : endAt(0)
  const end = endAt(start + count - 1 - first)
  const text = readAt(join(runDir, RUN_FILES.transcript), begin, end - begin).toString('utf8')
  const entries = text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as TranscriptEntry)
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
    return JSON.parse(readFileSync(join(runDir, RUN_FILES.timeline), 'utf8')) as StageEvent[]
  } catch {
    return []
  }
}

export function writeTimeline(runDir: string, timeline: StageEvent[]): void {
  // Written whole and renamed into place, so a reader never sees half a file.
  const path = join(runDir, RUN_FILES.timeline)
  writeFileSync(`${path}.tmp`, JSON.stringify(timeline.slice(-500)))
  renameSync(`${path}.tmp`, path)
}
