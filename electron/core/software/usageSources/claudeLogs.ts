// Claude Code's own session logs as a usage source: work done with an agent's Claude account
// outside the factory counts against its quota windows too. Each assistant message becomes one
// `usage` row keyed by the message's own ids, so importing again, or reading a file again from the
// start, counts nothing twice; `import_cursors` remembers how far each file was read, so a sync
// reads only what was appended since.
//
// The line format, as Claude Code writes it under ~/.claude/projects/<encoded cwd>/<session>.jsonl
// (and <session>/subagents/*.jsonl), checked against public readers of these files:
// - ryoppippi/ccusage src/data-loader.ts: `usageDataSchema` (timestamp, message.usage.{input_tokens,
//   output_tokens, cache_creation_input_tokens?, cache_read_input_tokens?}, message.id?, requestId?,
//   costUSD? in older versions) and `createUniqueHash` = `${message.id}:${requestId}`; lines of the
//   model "<synthetic>" carry no real usage.
// - majiayu000/ccstats docs/algorithm/authoritative-token-accounting.md: one message is written on
//   several lines (one per content block, streaming), and the same message can appear in a session
//   file and a subagent file; the later lines can carry the fuller usage.
// A real line (Claude Code 1.0.51): {"parentUuid":…,"isSidechain":false,"userType":"external",
// "cwd":"…","sessionId":"…","version":"1.0.51","message":{"id":"msg_01…","type":"message",
// "role":"assistant","model":"claude-sonnet-4-20250514","content":[…],"stop_reason":null,
// "usage":{"input_tokens":5,"cache_creation_input_tokens":262,"cache_read_input_tokens":17299,
// "output_tokens":24,"service_tier":"standard"}},"requestId":"req_011…","type":"assistant",
// "uuid":"…","timestamp":"2025-07-14T14:23:32.422Z"}
import { closeSync, openSync, readdirSync, readSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, isAbsolute, join, resolve, sep } from 'node:path'
import { z } from 'zod'
import type { Ledger } from '../../db/ledger'

export const CLAUDE_LOGS_SOURCE = 'claude-logs'
/** A line longer than this is not an assistant message's usage; it is skipped, never held whole. */
export const MAX_LINE_BYTES = 1_048_576
/** Bytes of log read per transaction: big enough to be quick, small enough to hold the lock briefly. */
const BATCH_BYTES = 4 * 1_048_576
const READ_BYTES = 1_048_576
/** projects/<project>/<session>/subagents/<agent>.jsonl is four deep; leave room, not forever. */
const MAX_DEPTH = 6

export interface ClaudeLogsImport {
  rows: number
  updated: number
  files: number
  skipped: { malformed: number; tooLong: number; factoryRuns: number }
}

export interface ClaudeLogsOptions {
  /** The Claude projects folder; null or omitted: ~/.claude/projects. */
  dir?: string | null
  home?: string
  /** For tests: a smaller cap and batch show their edges without megabytes of fixtures. */
  maxLineBytes?: number
  batchBytes?: number
}

/** How far ahead of this machine's clock a line may be stamped (clocks drift a little). */
const FUTURE_SLACK_MS = 10 * 60_000

export function claudeProjectsDir(options: Pick<ClaudeLogsOptions, 'dir' | 'home'>): string {
  return resolve(options.dir ?? join(options.home ?? homedir(), '.claude', 'projects'))
}

// Bounds no real message reaches: a hostile or corrupt line cannot overflow a window's sum.
const count = z.number().int().nonnegative().max(1_000_000_000)
const assistantLine = z.object({
  type: z.literal('assistant'),
  timestamp: z.string(),
  cwd: z.string().optional(),
  requestId: z.string().min(1).optional(),
  uuid: z.string().min(1).optional(),
  costUSD: z.number().nonnegative().max(100_000).optional(),
  message: z.object({
    id: z.string().min(1).optional(),
    model: z.string().optional(),
    usage: z.object({
      input_tokens: count,
      output_tokens: count,
      cache_creation_input_tokens: count.nullish(),
      cache_read_input_tokens: count.nullish(),
    }),
  }),
})

interface UsageLine {
  externalId: string
  ts: number
  inputTokens: number
  outputTokens: number
  cacheReadTokens: number
  cacheWriteTokens: number
  costMicros: number
  cwd: string | undefined
}

/** One line: an assistant message's usage, something else (a user turn, a summary), or malformed. */
export function parseLogLine(text: string): UsageLine | 'other' | 'malformed' {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return text.trim() === '' ? 'other' : 'malformed'
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'malformed'
  if ((json as { type?: unknown }).type !== 'assistant') return 'other'
  const parsed = assistantLine.safeParse(json)
  if (!parsed.success) return 'malformed'
  const line = parsed.data
  // Claude Code's own placeholder messages (API errors, interruptions) used no tokens.
  if (line.message.model === '<synthetic>') return 'other'
  const ts = Date.parse(line.timestamp)
  // The message and the request it answered: stable across the lines that repeat the message and
  // across files. A line without them is counted by its own uuid, or not at all.
  const { id } = line.message
  const externalId = id
    ? line.requestId
      ? `${id}:${line.requestId}`
      : id
    : line.uuid
      ? `line:${line.uuid}`
      : undefined
  if (Number.isNaN(ts) || externalId === undefined) return 'malformed'
  const usage = line.message.usage
  return {
    externalId,
    ts,
    inputTokens: usage.input_tokens,
    outputTokens: usage.output_tokens,
    cacheReadTokens: usage.cache_read_input_tokens ?? 0,
    cacheWriteTokens: usage.cache_creation_input_tokens ?? 0,
    costMicros: Math.round((line.costUSD ?? 0) * 1_000_000),
    cwd: line.cwd,
  }
}

/** Every .jsonl under the folder, without following links out of it. */
function logFiles(dir: string, depth = 0, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory() && depth < MAX_DEPTH) {
      try {
        logFiles(path, depth + 1, found)
      } catch {
        // a folder removed or closed to us meanwhile: the rest still counts
      }
    } else if (entry.isFile() && entry.name.endsWith('.jsonl')) found.push(path)
  }
  return found
}

/**
 * The factory's own runs already record their usage; their Claude sessions (working in a run's
 * folder, or below it) are left out so nothing counts twice.
 */
function factoryRunFolders(ledger: Ledger): (cwd: string | undefined) => boolean {
  const rows = ledger.sqlite
    .prepare(
      `SELECT cwd AS folder FROM runs
       UNION SELECT worktree FROM runs WHERE worktree IS NOT NULL`,
    )
    .all() as { folder: string }[]
  const folders = new Set(rows.map((row) => resolve(row.folder)))
  const known = new Map<string, boolean>()
  return (cwd) => {
    if (cwd === undefined || folders.size === 0) return false
    let answer = known.get(cwd)
    if (answer === undefined) {
      answer = false
      for (let at = resolve(cwd); ; at = dirname(at)) {
        if (folders.has(at)) answer = true
        if (answer || dirname(at) === at) break
      }
      known.set(cwd, answer)
    }
    return answer
  }
}

interface Cursor {
  size: number
  mtimeMs: number
  offset: number
}

/** Rows and cursor moves waiting for their transaction. */
interface Batch {
  lines: UsageLine[]
  cursors: Map<string, Cursor>
  files: Set<string>
  bytes: number
}

const emptyBatch = (): Batch => ({ lines: [], cursors: new Map(), files: new Set(), bytes: 0 })

/**
 * Imports what the agent's Claude logs gained since the last import. Never fails on a bad line or
 * an unreadable file (they are skipped and counted); fails only when the folder cannot be read.
 */
export async function importClaudeLogs(
  ledger: Ledger,
  agent: string,
  options: ClaudeLogsOptions = {},
): Promise<ClaudeLogsImport> {
  // Relative to what? A host's working folder is nobody's choice (the app's is often /).
  if (options.dir && !isAbsolute(options.dir)) {
    throw new Error(`the Claude projects folder must be an absolute path, not "${options.dir}"`)
  }
  const dir = claudeProjectsDir(options)
  const maxLine = options.maxLineBytes ?? MAX_LINE_BYTES
  const batchBytes = options.batchBytes ?? BATCH_BYTES
  let files: string[]
  try {
    files = logFiles(dir).sort()
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new Error(
      code === 'ENOENT'
        ? `no Claude projects folder at ${dir} (set one with --claude-logs DIR)`
        : `cannot read the Claude projects folder ${dir} (${code ?? 'unreadable'})`,
    )
  }
  const cursors = readCursors(ledger, dir)
  const isFactoryRun = factoryRunFolders(ledger)
  const result: ClaudeLogsImport = {
    rows: 0,
    updated: 0,
    files: 0,
    skipped: { malformed: 0, tooLong: 0, factoryRuns: 0 },
  }
  let batch = emptyBatch()
  const flush = async (): Promise<void> => {
    if (batch.cursors.size === 0) return
    const done = batch
    batch = emptyBatch()
    const { rows, updated } = commitBatch(ledger, agent, done)
    result.rows += rows
    result.updated += updated
    // Let a long-lived host breathe between transactions of a long first import.
    await new Promise<void>((next) => setImmediate(next))
  }
  for (const file of files) {
    let stat
    try {
      stat = statSync(file)
    } catch {
      continue // gone since it was listed
    }
    const cursor = cursors.get(file)
    if (cursor && cursor.size === stat.size && cursor.mtimeMs === stat.mtimeMs) continue
    const readOne = readAppended(file, cursor, stat.size, maxLine, (event) => {
      if (event.kind === 'line') {
        const parsed = parseLogLine(event.text)
        if (parsed === 'malformed') result.skipped.malformed++
        else if (parsed !== 'other') {
          // Stamped in the future (a wrong clock): it would fill a window until that day comes.
          if (parsed.ts > ledger.now() + FUTURE_SLACK_MS) result.skipped.malformed++
          else if (isFactoryRun(parsed.cwd)) result.skipped.factoryRuns++
          else batch.lines.push(parsed)
        }
      } else result.skipped.tooLong++
      batch.bytes += event.bytes
      // Part way through: the size recorded is how far it was read, so a sync after a crash here
      // does not take the file for unchanged.
      batch.cursors.set(file, { size: event.end, mtimeMs: stat.mtimeMs, offset: event.end })
      batch.files.add(file)
      return batch.bytes >= batchBytes
    })
    let next = readOne.next()
    while (!next.done) {
      await flush()
      next = readOne.next()
    }
    if (next.value === undefined) continue // unreadable: left for the next sync
    // The file's end (or the start of its unfinished last line): recorded even when nothing in it
    // counted, so the next sync does not read it again.
    batch.cursors.set(file, { size: stat.size, mtimeMs: stat.mtimeMs, offset: next.value })
    result.files++
  }
  await flush()
  return result
}

type ReadEvent =
  | { kind: 'line'; text: string; end: number; bytes: number }
  | { kind: 'tooLong'; end: number; bytes: number }

/**
 * Reads the file from where the cursor stopped to `size`, calling `onEvent` per complete line;
 * yields (pauses) whenever `onEvent` asks for a commit. Returns the offset the next read starts at,
 * or undefined when the file cannot be read. A file that shrank, or whose byte before the cursor
 * is not the newline the cursor stopped after, was replaced: it is read again from the start.
 */
function* readAppended(
  file: string,
  cursor: Cursor | undefined,
  size: number,
  maxLine: number,
  onEvent: (event: ReadEvent) => boolean,
): Generator<void, number | undefined> {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch {
    return undefined
  }
  try {
    let offset = cursor && cursor.offset <= size ? cursor.offset : 0
    if (offset > 0) {
      const before = Buffer.alloc(1)
      readSync(fd, before, 0, 1, offset - 1)
      if (before[0] !== 0x0a) offset = 0
    }
    const block = Buffer.alloc(READ_BYTES)
    /** Bytes of the line being read, when it started within the last block(s). */
    let carry: Buffer = Buffer.alloc(0)
    let lineStart = offset
    /** The line passed the cap: its bytes are dropped until its newline. */
    let dropping = false
    let at = offset
    while (at < size) {
      const read = readSync(fd, block, 0, Math.min(READ_BYTES, size - at), at)
      if (read === 0) break
      const bytes = block.subarray(0, read)
      let from = 0
      for (;;) {
        const newline = bytes.indexOf(0x0a, from)
        if (newline === -1) break
        const end = at + newline + 1
        let event: ReadEvent
        if (dropping) {
          event = { kind: 'tooLong', end, bytes: end - lineStart }
        } else {
          const line = carry.length
            ? Buffer.concat([carry, bytes.subarray(from, newline)])
            : bytes.subarray(from, newline)
          event =
            line.length > maxLine
              ? { kind: 'tooLong', end, bytes: line.length + 1 }
              : { kind: 'line', text: line.toString('utf8'), end, bytes: line.length + 1 }
        }
        carry = Buffer.alloc(0)
        dropping = false
        lineStart = end
        from = newline + 1
        if (onEvent(event)) yield
      }
      if (!dropping && from < read) {
        carry = Buffer.concat([carry, bytes.subarray(from, read)])
        if (carry.length > maxLine) {
          carry = Buffer.alloc(0)
          dropping = true
        }
      }
      at += read
    }
    // An unfinished last line is left for next time, even one past the cap: Claude Code appends
    // whole lines, so it is one being written, and its end decides where the next line starts.
    return lineStart
  } finally {
    closeSync(fd)
  }
}

function readCursors(ledger: Ledger, dir: string): Map<string, Cursor> {
  const prefix = dir.endsWith(sep) ? dir : dir + sep
  const rows = ledger.sqlite
    .prepare(
      `SELECT path, size, mtime_ms AS mtimeMs, offset FROM import_cursors
       WHERE substr(path, 1, ?) = ?`,
    )
    .all(prefix.length, prefix) as ({ path: string } & Cursor)[]
  return new Map(rows.map(({ path, ...cursor }) => [path, cursor]))
}

/**
 * One transaction: the batch's usage rows, the cursors they were read up to, and (when the ledger
 * gained anything) one `usage.imported` event saying how much, so the log explains the rows.
 */
function commitBatch(
  ledger: Ledger,
  agent: string,
  batch: Batch,
): { rows: number; updated: number } {
  return ledger.change('claude-logs', (change) => {
    const insert = ledger.sqlite.prepare(
      `INSERT OR IGNORE INTO usage (run_id, agent, ts, input_tokens, output_tokens,
         cache_read_tokens, cache_write_tokens, cost_micros, turns, source, external_id)
       VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, 1, '${CLAUDE_LOGS_SOURCE}', ?)`,
    )
    // The same message on a later line may carry the fuller count (streaming): keep the larger.
    const raise = ledger.sqlite.prepare(
      `UPDATE usage SET input_tokens = max(input_tokens, ?), output_tokens = max(output_tokens, ?),
         cache_read_tokens = max(cache_read_tokens, ?), cache_write_tokens = max(cache_write_tokens, ?),
         cost_micros = max(cost_micros, ?)
       WHERE source = '${CLAUDE_LOGS_SOURCE}' AND external_id = ? AND agent = ?
         AND (input_tokens < ? OR output_tokens < ? OR cache_read_tokens < ?
              OR cache_write_tokens < ? OR cost_micros < ?)`,
    )
    let rows = 0
    let updated = 0
    for (const line of batch.lines) {
      const counts = [
        line.inputTokens,
        line.outputTokens,
        line.cacheReadTokens,
        line.cacheWriteTokens,
        line.costMicros,
      ]
      if (insert.run(agent, line.ts, ...counts, line.externalId).changes > 0) rows++
      else if (raise.run(...counts, line.externalId, agent, ...counts).changes > 0) updated++
    }
    const saveCursor = ledger.sqlite.prepare(
      `INSERT INTO import_cursors (path, size, mtime_ms, offset, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
         offset = excluded.offset, updated_at = excluded.updated_at`,
    )
    for (const [path, cursor] of batch.cursors) {
      saveCursor.run(path, cursor.size, cursor.mtimeMs, cursor.offset, change.now)
    }
    if (rows + updated > 0) {
      change.append({
        type: 'usage.imported',
        subject: `agent:${agent}`,
        payload: { agent, source: CLAUDE_LOGS_SOURCE, rows, updated, files: batch.files.size },
      })
    }
    return { rows, updated }
  })
}
