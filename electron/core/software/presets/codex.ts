// Codex preset: `codex exec --json --skip-git-repo-check --sandbox workspace-write -- <prompt>`, and
// a parser for its JSONL thread events (thread/turn/item events, turn.completed usage, errors).
// Sources: openai/codex codex-rs/exec/src/exec_events.rs (ThreadEvent, ThreadItemDetails and their
// fields), event_processor_with_jsonl_output.rs (turn.completed carries the thread's running token
// total; turn.failed falls back to the last `error`), codex-rs/exec/src/cli.rs and the docs' "Non-
// interactive mode" page (flags). Codex reports no cost: costMicros stays 0.
import type { Failure, TranscriptEntry, Usage } from '../../../../shared/runs'
import { classifyFailure, errorLine } from './failures'
import { Announced, clip, count, exitFailure, guarded, list, NOTHING, obj } from './parsing'
import { oneLine, parseJsonObject, raw, show, str } from './parsing'
import type { Json, ToolCall, ToolResult } from './parsing'
import type { OutputParser, ParsedOutput, Preset } from './types'

const AGENT = 'Codex'
/** Item ids whose start was seen, so a completion without a start still shows its call. */
const MAX_TRACKED_ITEMS = 10_000

function mcpOutput(item: Json): string {
  const error = str(obj(item.error)?.message)
  if (error) return clip(error)
  const result = obj(item.result)
  if (!result) return ''
  const texts = list(result.content).map((c) => str(obj(c)?.text) ?? show(c))
  return clip(texts.length > 0 ? texts.join('\n') : show(result.structured_content))
}

/** What a tool-like item was asked to do: its tool_call name and input. */
function callOf(item: Json, type: string): { name: string; input: string } | undefined {
  switch (type) {
    case 'command_execution':
      return { name: 'command', input: clip(str(item.command) ?? '') }
    case 'file_change': {
      const changes = list(item.changes).map(obj)
      const lines = changes.map((c) => `${str(c?.kind) ?? 'change'} ${str(c?.path) ?? '?'}`)
      return { name: 'file_change', input: clip(lines.join('\n')) }
    }
    case 'mcp_tool_call':
      return {
        name: `${str(item.server) ?? 'mcp'}.${str(item.tool) ?? '?'}`,
        input: show(item.arguments),
      }
    case 'collab_tool_call':
      return { name: `collab.${str(item.tool) ?? '?'}`, input: clip(str(item.prompt) ?? '') }
    case 'web_search':
      return { name: 'web_search', input: clip(str(item.query) ?? '') }
    default:
      return undefined
  }
}

/** The tool_result a completed tool-like item stands for. */
function resultOf(item: Json, type: string, id: string | undefined): ToolResult | undefined {
  const status = str(item.status)
  let output: string
  let isError = status === 'failed' || status === 'declined'
  if (type === 'command_execution') {
    output = clip(str(item.aggregated_output) ?? '')
    if (typeof item.exit_code === 'number' && item.exit_code !== 0) isError = true
  } else if (type === 'mcp_tool_call') {
    output = mcpOutput(item)
    isError ||= obj(item.error) !== undefined
  } else if (type === 'file_change' || type === 'collab_tool_call') {
    output = status ?? 'completed'
  } else {
    return undefined
  }
  const entry: ToolResult = { kind: 'tool_result', output }
  if (id) entry.id = id
  if (isError) entry.isError = true
  return entry
}

function callEntry(call: { name: string; input: string }, id: string | undefined): ToolCall {
  const entry: ToolCall = { kind: 'tool_call', ...call }
  if (id) entry.id = id
  return entry
}

function todoText(item: Json): string {
  const items = list(item.items).map(obj)
  const lines = items.map((t) => `${t?.completed === true ? '[x]' : '[ ]'} ${str(t?.text) ?? ''}`)
  return clip(`plan:\n${lines.join('\n')}`)
}

function createCodexParser(now: () => number): OutputParser {
  let sawJson = false
  let turnsCompleted = 0
  let completed = false
  let generic: Failure | undefined
  const announced = new Announced()
  const started = new Set<string>()

  function item(event: string, data: Json): ParsedOutput {
    const it = obj(data.item) ?? {}
    const type = str(it.type) ?? str(it.item_type) ?? 'unknown' // item_type: the first --json shape
    const id = str(it.id)
    const call = callOf(it, type)
    if (event === 'item.updated') return NOTHING
    if (event === 'item.started') {
      if (!call) return NOTHING
      if (id) {
        started.add(id)
        if (started.size > MAX_TRACKED_ITEMS)
          started.delete(started.values().next().value as string)
      }
      return { entries: [callEntry(call, id)] }
    }
    switch (type) {
      case 'agent_message':
      case 'assistant_message': // the first --json shape's name
      case 'plan':
        return { entries: [{ kind: 'text', text: clip(str(it.text) ?? '') }] }
      case 'reasoning':
        return { entries: [{ kind: 'thinking', text: clip(str(it.text) ?? '') }] }
      case 'todo_list':
        return { entries: [{ kind: 'system', agent: AGENT, text: todoText(it) }] }
      case 'error': // non-fatal: config warnings, deprecation notices, model reroutes
        return {
          entries: [
            { kind: 'system', agent: AGENT, text: clip(`warning: ${str(it.message) ?? ''}`) },
          ],
        }
    }
    if (!call) {
      return {
        entries: [{ kind: 'system', agent: AGENT, text: clip(`${type}: ${show(it)}`, 2000) }],
      }
    }
    const entries: TranscriptEntry[] = []
    if (!id || !started.delete(id)) entries.push(callEntry(call, id))
    const result = resultOf(it, type, id)
    if (result) entries.push(result)
    return { entries }
  }

  /** turn.failed and fatal `error` events: classified when possible, else a generic failure. */
  function failed(message: string): ParsedOutput {
    const entries: TranscriptEntry[] = [{ kind: 'result', text: clip(message), isError: true }]
    const failure = classifyFailure(message, now())
    if (failure) return { entries, failure: announced.add(failure) }
    generic ??= { class: 'crashed', message: `Codex failed: ${oneLine(message)}` }
    return { entries }
  }

  return {
    stdout(line) {
      const data = parseJsonObject(line)
      if (!data) return line.trim() === '' ? NOTHING : { entries: [raw('stdout', line)] }
      sawJson = true
      const type = str(data.type) ?? ''
      switch (type) {
        case 'thread.started': {
          const thread = str(data.thread_id)
          const session = thread ? ` · session ${thread}` : ''
          return {
            entries: [{ kind: 'system', agent: AGENT, text: `Codex started${session}` }],
          }
        }
        case 'turn.started':
          return NOTHING
        case 'turn.completed': {
          // The usage is the thread's running total (input includes the cached part), so it
          // replaces what was counted rather than adding to it.
          const usage = obj(data.usage) ?? {}
          const cached = count(usage.cached_input_tokens)
          turnsCompleted += 1
          completed = true
          const finalUsage: Usage = {
            inputTokens: Math.max(0, count(usage.input_tokens) - cached),
            outputTokens: count(usage.output_tokens),
            cacheReadTokens: cached,
            cacheWriteTokens: 0,
            costMicros: 0,
            turns: turnsCompleted,
          }
          return { entries: [], finalUsage }
        }
        case 'turn.failed':
          completed = false
          return failed(str(obj(data.error)?.message) ?? 'turn failed')
        case 'error': {
          const message = str(data.message) ?? 'error'
          // "Reconnecting... 2/5 (…)" is Codex retrying a dropped stream; the turn goes on.
          if (/^\s*reconnecting/i.test(message)) {
            return { entries: [{ kind: 'system', agent: AGENT, text: clip(message) }] }
          }
          return failed(message)
        }
        case 'item.started':
        case 'item.updated':
        case 'item.completed':
          return item(type, data)
        default:
          return { entries: [raw('stdout', line)] }
      }
    },
    stderr: (line) => errorLine('stderr', line, now(), announced),
    finish(exit) {
      if (completed && exit.code === 0 && !exit.signal) return undefined
      const failure = announced.first ?? generic ?? exitFailure(exit)
      if (failure) return failure
      return sawJson
        ? { class: 'bad_output', message: 'Codex exited without a turn.completed event' }
        : { class: 'bad_output', message: 'Codex printed no JSON events' }
    },
  }
}

export const codexPreset: Preset = {
  name: 'codex',
  defaultBin: 'codex',
  // --json: JSONL events on stdout. --skip-git-repo-check: exec refuses to start outside a git
  // repository, and a run's workspace may be a plain folder. --sandbox workspace-write: exec is
  // read-only by default, and the agent must edit its workspace. `--` keeps a prompt that starts
  // with "-" a prompt. stdin stays /dev/null: exec would otherwise wait for piped input.
  invocation: (context) => ({
    file: context.bin,
    args: [
      'exec',
      '--json',
      '--skip-git-repo-check',
      '--sandbox',
      'workspace-write',
      '--',
      context.prompt,
    ],
  }),
  parser: (now = Date.now) => guarded(createCodexParser(now)),
}
