// Helpers every preset parser shares: bounded text, tolerant JSON and field readers, exit wording,
// and a guard so malformed or hostile agent output can never throw into the supervisor.
import type { Failure, TranscriptEntry } from '../../../../shared/runs'
import type { OutputParser, ParsedOutput } from './types'

/** Stored text per transcript entry; a runaway tool output must not bloat transcript.jsonl. */
export const MAX_ENTRY_CHARS = 64 * 1024
/** Lines longer than this are not even handed to JSON.parse: no CLI prints such an event. */
export const MAX_JSON_LINE_CHARS = 8 * 1024 * 1024

export type Json = Record<string, unknown>
export type ToolCall = Extract<TranscriptEntry, { kind: 'tool_call' }>
export type ToolResult = Extract<TranscriptEntry, { kind: 'tool_result' }>

export const NOTHING: ParsedOutput = Object.freeze({ entries: [] }) as ParsedOutput

export function clip(text: string, max = MAX_ENTRY_CHARS): string {
  if (text.length <= max) return text
  let cut = max
  // Do not leave half of a surrogate pair at the cut.
  const code = text.charCodeAt(cut - 1)
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1
  return `${text.slice(0, cut)}… [${text.length - cut} more characters]`
}

/** A CRLF-terminated line keeps its \r after splitting on \n. */
export function chomp(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line
}

/** The object on this line, or undefined for anything else (text, arrays, numbers, broken JSON). */
export function parseJsonObject(line: string): Json | undefined {
  const trimmed = line.trim()
  if (!trimmed.startsWith('{') || trimmed.length > MAX_JSON_LINE_CHARS) return undefined
  try {
    return obj(JSON.parse(trimmed))
  } catch {
    return undefined
  }
}

export function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** A token count: a finite non-negative number, floored; anything else counts as 0. */
export function count(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return 0
  return Math.min(Math.floor(value), Number.MAX_SAFE_INTEGER)
}

export function has(record: Json, key: string): boolean {
  return typeof record[key] === 'number'
}

/** Any JSON value as readable text: strings as they are, everything else as compact JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') return clip(value)
  if (value === undefined) return ''
  try {
    return clip(JSON.stringify(value) ?? String(value))
  } catch {
    // A cycle cannot come out of JSON.parse, but a stack overflow on deep nesting can.
    return '[unprintable value]'
  }
}

export function raw(stream: 'stdout' | 'stderr', line: string): TranscriptEntry {
  return { kind: 'raw', stream, text: clip(chomp(line)) }
}

/** The first non-empty line of an error text, bounded: a Failure message is one readable line. */
export function oneLine(text: string, max = 500): string {
  const first = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.length > 0)
  return clip(first ?? text.trim(), max)
}

export function describeExit(exit: { code: number | null; signal: string | null }): string {
  if (exit.signal) return `killed by ${exit.signal}`
  return `exited with code ${exit.code ?? 'unknown'}`
}

/** A non-zero exit or a signal, with nothing better to say: `crashed`. */
export function exitFailure(exit: {
  code: number | null
  signal: string | null
}): Failure | undefined {
  if (exit.code === 0 && !exit.signal) return undefined
  return { class: 'crashed', message: describeExit(exit) }
}

/**
 * Wraps a parser so that a bug or an unforeseen shape costs one raw transcript entry, never an
 * exception in the supervisor's stream handlers.
 */
export function guarded(parser: OutputParser): OutputParser {
  const wrap =
    (stream: 'stdout' | 'stderr', fn: (line: string) => ParsedOutput) =>
    (line: string): ParsedOutput => {
      const text = typeof line === 'string' ? line : String(line)
      try {
        return fn(text)
      } catch {
        return { entries: [raw(stream, text)] }
      }
    }
  return {
    stdout: wrap('stdout', (line) => parser.stdout(line)),
    stderr: wrap('stderr', (line) => parser.stderr(line)),
    finish(exit) {
      try {
        return parser.finish(exit)
      } catch {
        return exitFailure(exit)
      }
    },
  }
}

/**
 * The failures a run announced. The first is kept (usually the cause); a later one of the same
 * class only replaces it when it adds the reset time the first lacked.
 */
export class Announced {
  first: Failure | undefined

  add(next: Failure): Failure {
    const current = this.first
    if (
      !current ||
      (current.class === next.class && current.resetAt === undefined && next.resetAt !== undefined)
    ) {
      this.first = next
    }
    return next
  }
}
