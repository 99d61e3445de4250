// Claude Code preset: `claude -p --output-format stream-json --verbose -- <prompt>`, and a parser
// for its stream-json lines (system init, assistant, user tool results, rate limit events, result).
// Sources: anthropics/claude-agent-sdk-python src/claude_agent_sdk/_internal/message_parser.py and
// types.py (message and content-block fields, ResultMessage with total_cost_usd, num_turns, errors,
// api_error_status; RateLimitInfo with status/resetsAt/rateLimitType; AssistantMessageError);
// the `--` before the prompt is the SDK's own guard (subprocess_cli.py, commit ea7e867, issue #129).
import type { Failure, FailureClass, TranscriptEntry, Usage } from '../../../../shared/runs'
import { addUsage, NO_USAGE } from '../../../../shared/runs'
import { classifyFailure, errorLine, failureFromStatus, usdToMicros } from './failures'
import { Announced, clip, count, exitFailure, guarded, has, list, NOTHING } from './parsing'
import { obj, oneLine, parseJsonObject, raw, show, str } from './parsing'
import type { Json, ToolCall, ToolResult } from './parsing'
import type { OutputParser, ParsedOutput, Preset } from './types'

type Tokens = Pick<Usage, 'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens'>

const TOKEN_FIELDS = [
  ['inputTokens', 'input_tokens'],
  ['outputTokens', 'output_tokens'],
  ['cacheReadTokens', 'cache_read_input_tokens'],
  ['cacheWriteTokens', 'cache_creation_input_tokens'],
] as const
/** Message ids remembered for usage dedupe; a run with more assistant messages forgets the oldest. */
const MAX_TRACKED_MESSAGES = 10_000
/** Claude's AssistantMessageError values that name a failure class outright. */
const ERROR_CLASSES = new Map<string, FailureClass>([
  ['rate_limit', 'rate_limited'],
  ['authentication_failed', 'auth_expired'],
  ['billing_error', 'quota_exhausted'],
])

function tokensOf(usage: Json): Tokens {
  const tokens = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 }
  for (const [key, field] of TOKEN_FIELDS) tokens[key] = count(usage[field])
  return tokens
}

/** Text of a tool_result `content`: a string, or a list of text (and image) blocks. */
function resultText(content: unknown): string {
  if (typeof content === 'string') return clip(content)
  if (!Array.isArray(content)) return show(content)
  const parts = content.map((block) => {
    const b = obj(block)
    if (b?.type === 'text' && typeof b.text === 'string') return b.text
    return b?.type === 'image' ? '[image]' : show(block)
  })
  return clip(parts.join('\n'))
}

function toolResult(block: Json): ToolResult {
  const entry: ToolResult = { kind: 'tool_result', output: resultText(block.content) }
  if (str(block.tool_use_id)) entry.id = str(block.tool_use_id)
  if (block.is_error === true) entry.isError = true
  return entry
}

function blockEntry(block: Json): TranscriptEntry | undefined {
  switch (block.type) {
    case 'text':
      return { kind: 'text', text: clip(str(block.text) ?? '') }
    case 'thinking':
      return { kind: 'thinking', text: clip(str(block.thinking) ?? '') }
    case 'tool_use':
    case 'server_tool_use': {
      const call: ToolCall = {
        kind: 'tool_call',
        name: str(block.name) ?? 'tool',
        input: show(block.input),
      }
      if (str(block.id)) call.id = str(block.id)
      return call
    }
    case 'tool_result':
    case 'advisor_tool_result':
      return toolResult(block)
    default:
      return undefined
  }
}

const AGENT = 'Claude Code'

/**
 * Claude Code's own `system` lines, labelled as its own (not the factory's, not the user's):
 * init as "Claude Code started · model claude-…, in /path · 4 tools"; any other subtype by name
 * and its message, if it has one (the whole event is in the raw log).
 */
function systemEntry(data: Json): TranscriptEntry {
  const subtype = str(data.subtype) ?? 'system'
  if (subtype !== 'init') {
    const said = str(data.message) ?? str(data.content) ?? str(data.status)
    const text = `${subtype.replaceAll('_', ' ')}${said ? `: ${said}` : ''}`
    return { kind: 'system', agent: AGENT, text: clip(text, 2000) }
  }
  const where = [`model ${str(data.model) ?? 'unknown'}`]
  if (str(data.cwd)) where.push(`in ${str(data.cwd)}`)
  const parts = [where.join(', '), `${list(data.tools).length} tools`]
  if (str(data.permissionMode)) parts.push(`permissions: ${str(data.permissionMode)}`)
  return { kind: 'system', agent: AGENT, text: `${AGENT} started · ${parts.join(' · ')}` }
}

/** five_hour → "5-hour", seven_day_opus → "7-day Opus": a subscription window as Claude says it. */
function windowWords(window: string): string {
  return window
    .replace(/^five_hour/, '5-hour')
    .replace(/^seven_day/, '7-day')
    .replace(/_opus$/, ' Opus')
    .replace(/_sonnet$/, ' Sonnet')
    .replaceAll('_', ' ')
}

/** A rate_limit_event: `rejected` on a subscription window (five_hour, seven_day …) is a quota. */
function rateLimit(data: Json): { entry?: TranscriptEntry; failure?: Failure } {
  const info = obj(data.rate_limit_info) ?? {}
  const status = str(info.status) ?? 'unknown'
  if (status === 'allowed') return {}
  const window = windowWords(str(info.rateLimitType) ?? 'usage')
  const at = typeof info.resetsAt === 'number' && info.resetsAt > 0 ? info.resetsAt : undefined
  const resetAt = at === undefined ? undefined : at < 1e12 ? at * 1000 : at
  // The reset time travels as `resetAt`, which each host says in its own clock and words.
  const said = status === 'rejected' ? 'reached' : status.replaceAll('_', ' ')
  const entry: TranscriptEntry = {
    kind: 'system',
    agent: AGENT,
    text: `${window} limit ${said}`,
  }
  if (status !== 'rejected') return { entry }
  const failure: Failure = { class: 'quota_exhausted', message: `Claude’s ${window} limit reached` }
  if (resetAt !== undefined) failure.resetAt = resetAt
  return { entry, failure }
}

function createClaudeParser(now: () => number): OutputParser {
  let sawJson = false
  let counted: Usage = NO_USAGE
  const seen = new Map<string, Tokens>()
  const announced = new Announced()
  let result: { ok: boolean; failure?: Failure } | undefined

  // stream-json prints one line per content block, each repeating its message's id and usage:
  // count only what grew since that id was last seen, and one turn per id.
  function countUsage(message: Json): Partial<Usage> {
    const id = str(message.id)
    const before = id ? seen.get(id) : undefined
    const current = tokensOf(obj(message.usage) ?? {})
    const delta: Partial<Usage> = { turns: before ? 0 : 1 }
    for (const [key] of TOKEN_FIELDS) {
      delta[key] = Math.max(0, current[key] - (before?.[key] ?? 0))
      current[key] = Math.max(current[key], before?.[key] ?? 0)
    }
    if (id) {
      seen.delete(id)
      seen.set(id, current)
      if (seen.size > MAX_TRACKED_MESSAGES) seen.delete(seen.keys().next().value as string)
    }
    counted = addUsage(counted, delta)
    return delta
  }

  function assistant(data: Json): ParsedOutput {
    const message = obj(data.message) ?? {}
    const blocks = list(message.content)
      .map(obj)
      .filter((b): b is Json => b !== undefined)
    const entries = blocks.map(blockEntry).filter((e): e is TranscriptEntry => e !== undefined)
    const out: ParsedOutput = { entries, usage: countUsage(message) }
    // API errors arrive as synthetic assistant messages ("API Error: 529 …", "Claude AI usage
    // limit reached|…") flagged by `error`; ordinary assistant prose is never classified.
    const errorKind = str(data.error)
    if (errorKind || message.model === '<synthetic>' || data.isApiErrorMessage === true) {
      const text = blocks.map((b) => str(b.text) ?? '').join('\n')
      const known = ERROR_CLASSES.get(errorKind ?? '')
      const failure =
        classifyFailure(text, now()) ??
        (known ? { class: known, message: oneLine(text || (errorKind ?? '')) } : undefined)
      if (failure) out.failure = announced.add(failure)
    }
    return out
  }

  function final(data: Json): ParsedOutput {
    const subtype = str(data.subtype) ?? 'unknown'
    const isError = data.is_error === true || subtype.startsWith('error')
    const errors = list(data.errors).filter((e): e is string => typeof e === 'string')
    const text = errors.length > 0 ? errors.join('; ') : (str(data.result) ?? '')
    // The result's totals are authoritative; a field it lacks keeps what the messages added up to.
    const usage = obj(data.usage) ?? {}
    const tokens = tokensOf(usage)
    const finalUsage: Usage = { ...counted }
    for (const [key, field] of TOKEN_FIELDS) if (has(usage, field)) finalUsage[key] = tokens[key]
    if (typeof data.total_cost_usd === 'number') {
      finalUsage.costMicros = Math.max(0, usdToMicros(data.total_cost_usd))
    }
    if (typeof data.num_turns === 'number') finalUsage.turns = count(data.num_turns)
    counted = finalUsage
    const entries: TranscriptEntry[] = [{ kind: 'result', text: clip(text || subtype), isError }]
    const out: ParsedOutput = { entries, finalUsage }
    if (!isError) {
      result = { ok: true }
      return out
    }
    const message = oneLine(text || subtype)
    const specific =
      classifyFailure(text, now()) ?? failureFromStatus(data.api_error_status, message)
    if (specific) out.failure = announced.add(specific)
    const failure: Failure =
      specific ??
      (subtype === 'error_max_turns'
        ? {
            class: 'max_turns',
            message: `stopped at the turn limit (${count(data.num_turns)} turns)`,
          }
        : { class: 'crashed', message: `Claude Code reported ${subtype}: ${message}` })
    result = { ok: false, failure }
    return out
  }

  return {
    stdout(line) {
      const data = parseJsonObject(line)
      if (!data) return line.trim() === '' ? NOTHING : { entries: [raw('stdout', line)] }
      sawJson = true
      switch (data.type) {
        case 'system':
          return { entries: [systemEntry(data)] }
        case 'assistant':
          return assistant(data)
        case 'user': {
          // The prompt is not echoed; user lines carry the tool results fed back to the model.
          const blocks = list(obj(data.message)?.content).map(obj)
          const results = blocks.filter((b): b is Json => b?.type === 'tool_result')
          return { entries: results.map(toolResult) }
        }
        case 'result':
          return final(data)
        case 'rate_limit_event': {
          const { entry, failure } = rateLimit(data)
          const out: ParsedOutput = { entries: entry ? [entry] : [] }
          if (failure) out.failure = announced.add(failure)
          return out
        }
        case 'stream_event':
          return NOTHING // partial deltas (--include-partial-messages); the whole message follows
        default:
          return { entries: [raw('stdout', line)] }
      }
    },
    stderr: (line) => errorLine('stderr', line, now(), announced),
    finish(exit) {
      if (result?.ok && exit.code === 0 && !exit.signal) return undefined
      const failure = announced.first ?? result?.failure ?? exitFailure(exit)
      if (failure) return failure
      return sawJson
        ? { class: 'bad_output', message: 'Claude Code exited without a final result line' }
        : { class: 'bad_output', message: 'Claude Code printed no stream-json output' }
    },
  }
}

export const claudePreset: Preset = {
  name: 'claude',
  defaultBin: 'claude',
  invocation: (context) => ({
    file: context.bin,
    // Headless Claude Code refuses file edits unless allowed; a run exists to edit its worktree.
    // Shell commands still follow the user's own Claude settings (no blanket skip-permissions).
    args: [
      '-p',
      '--output-format',
      'stream-json',
      '--verbose',
      '--permission-mode',
      'acceptEdits',
      '--',
      context.prompt,
    ],
  }),
  parser: (now = Date.now) => guarded(createClaudeParser(now)),
}
