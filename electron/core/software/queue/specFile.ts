// A queued spec's file: YAML frontmatter, then the spec file a local run would get. Every value is
// written as JSON, which is also YAML (flow style), so any YAML reader reads it and ours needs no
// YAML parser; strings are escaped until they are one line of ASCII-safe text, so a title with
// newlines, `---` or quotes can never end the frontmatter or start a key of its own.
import { describeIssues } from '../../../../shared/api'
import { queueItemSchema, type QueueItem } from '../../../../shared/queue'

const FENCE = '---'

/** JSON, plus escapes for what YAML (1.1 too) reads as a line break or will not take raw. */
function yamlSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

export function formatQueueSpec(item: QueueItem, body: string): string {
  const lines = [FENCE]
  for (const [key, value] of Object.entries(item)) {
    if (value !== undefined) lines.push(`${key}: ${yamlSafeJson(value)}`)
  }
  lines.push(FENCE, '')
  return `${lines.join('\n')}${body}`
}

export type ParsedQueueSpec =
  | { ok: true; item: ReturnType<typeof queueItemSchema.parse>; body: string }
  | { ok: false; problem: string }

/**
 * Reads what formatQueueSpec wrote. A value that is not JSON is taken as a plain string, so a
 * frontmatter a person wrote by hand (`title: Fix the login`) still reads.
 */
export function parseQueueSpec(text: string): ParsedQueueSpec {
  const lines = text.split('\n')
  if (lines[0]?.trimEnd() !== FENCE) return { ok: false, problem: 'it does not start with ---' }
  const end = lines.findIndex((line, i) => i > 0 && line.trimEnd() === FENCE)
  if (end < 0) return { ok: false, problem: 'its frontmatter has no closing ---' }
  const fields: Record<string, unknown> = {}
  for (const line of lines.slice(1, end)) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue
    const match = /^([A-Za-z][A-Za-z0-9_]*):\s*(.*)$/.exec(line.trimEnd())
    if (!match) return { ok: false, problem: `cannot read the frontmatter line "${line}"` }
    fields[match[1]!] = readValue(match[2]!)
  }
  const parsed = queueItemSchema.safeParse(fields)
  if (!parsed.success) return { ok: false, problem: describeIssues(parsed.error) }
  // The blank line formatQueueSpec puts after the fence is not part of the spec text.
  const rest = lines.slice(end + 1)
  if (rest[0] === '') rest.shift()
  return { ok: true, item: parsed.data, body: rest.join('\n') }
}

function readValue(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
