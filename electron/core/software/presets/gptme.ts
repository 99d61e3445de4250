// gptme preset: `gptme --non-interactive [--name factory-<runId>] -- <prompt>`, a parser for its
// plain-text stdout ("Assistant: …", "System: …" messages with ``` fenced blocks), and the usage
// gptme records in its conversation log, read after exit.
// Sources: gptme/gptme gptme/cli/main.py (--non-interactive implies --no-confirm; --name; prompts
// are positional), gptme/message.py (format_msgs prints "<Role>: " + content, a ✅/❌ after
// "System: "; code blocks stay ``` fenced when stdout is not a tty), gptme/tools/shell.py ("Ran
// command: `ls`" then a ```stdout block). gptme prints no usage; see readConversationUsage below
// for where it records it. (gptme ≥ 0.32 also has --output-format json; text is used so older
// releases work too.)
import { closeSync, constants, existsSync, fstatSync, openSync, readSync } from 'node:fs'
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { StringDecoder } from 'node:string_decoder'
import { NO_USAGE, type TranscriptEntry, type Usage } from '../../../../shared/runs'
import { errorLine, usdToMicros } from './failures'
import { Announced, clip, chomp, exitFailure, guarded, MAX_ENTRY_CHARS, NOTHING } from './parsing'
import { count, MAX_JSON_LINE_CHARS, obj, parseJsonObject, raw } from './parsing'
import type { Json, ToolCall, ToolResult } from './parsing'
import type { AfterExitContext, OutputParser, ParsedOutput, Preset } from './types'

/** Fenced languages gptme executes as tools (markdown tool format); other fences are prose. */
const TOOLS = new Set([
  'shell',
  'ipython',
  'python',
  'save',
  'append',
  'patch',
  'morph',
  'read',
  'browser',
  'gh',
  'tmux',
  'subagent',
  'computer',
  'screenshot',
  'vision',
  'rag',
  'chats',
])
const ROLE = /^(Assistant|System|User):(?: (✅|❌) ?| |$)(.*)$/
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g
const MAX_FENCE_LINES = 2000

interface Fence {
  lang: string
  args: string
  lines: string[]
  size: number
}

function createGptmeParser(now: () => number): OutputParser {
  let role: 'assistant' | 'system' | 'user' | undefined
  let systemError = false
  let fence: Fence | undefined
  const announced = new Announced()

  /** The entry a closed (or overflowing) fenced block becomes, by who wrote it. */
  function fenceEntry(f: Fence): TranscriptEntry {
    const body = clip(f.lines.join('\n'))
    if (role === 'assistant' && TOOLS.has(f.lang)) {
      const call: ToolCall = {
        kind: 'tool_call',
        name: f.lang,
        input: f.args ? `${f.args}\n${body}` : body,
      }
      return call
    }
    if (role === 'system') {
      const result: ToolResult = { kind: 'tool_result', output: body }
      if (systemError) result.isError = true
      return result
    }
    if (role === 'assistant')
      return { kind: 'text', text: clip(`\`\`\`${f.lang}\n${body}\n\`\`\``) }
    return { kind: 'raw', stream: 'stdout', text: body }
  }

  /** A line outside any fence, by who is speaking. */
  function plain(text: string, line: string): TranscriptEntry[] {
    if (text.trim() === '') return []
    if (role === 'assistant') return [{ kind: 'text', text: clip(text) }]
    if (role === 'system') {
      const result: ToolResult = { kind: 'tool_result', output: clip(text) }
      if (systemError) result.isError = true
      return [result]
    }
    // The user's prompt echo and gptme's own banners are kept as they were printed.
    return [raw('stdout', line)]
  }

  /** "```lang args" starts a block (the user's prompt echo is never parsed for blocks). */
  function openFence(text: string): boolean {
    const opening = /^```(\S*)\s*(.*)$/.exec(text.trimStart())
    if (!opening || role === 'user') return false
    fence = { lang: (opening[1] ?? '').toLowerCase(), args: opening[2] ?? '', lines: [], size: 0 }
    return true
  }

  function stdout(line: string): ParsedOutput {
    const text = chomp(line).replace(ANSI, '')
    if (fence) {
      if (text.trim() !== '```') {
        fence.lines.push(text)
        fence.size += text.length + 1
        if (fence.lines.length < MAX_FENCE_LINES && fence.size < MAX_ENTRY_CHARS) return NOTHING
        // A runaway block is flushed in pieces rather than held without bound.
        const entry = fenceEntry(fence)
        fence = { ...fence, lines: [], size: 0 }
        return { entries: [entry] }
      }
      const entry = fenceEntry(fence)
      fence = undefined
      return { entries: [entry] }
    }
    if (openFence(text)) return NOTHING
    const speaker = ROLE.exec(text)
    if (speaker) {
      role = speaker[1] === 'Assistant' ? 'assistant' : speaker[1] === 'System' ? 'system' : 'user'
      systemError = speaker[2] === '❌'
      const rest = speaker[3] ?? ''
      const out: ParsedOutput = { entries: [] }
      if (role === 'assistant') out.usage = { turns: 1 }
      if (!openFence(rest)) out.entries = plain(rest, line)
      return out
    }
    if (/^Goodbye! \(resume with:/.test(text)) role = undefined
    return { entries: plain(text, line) }
  }

  return {
    stdout,
    stderr: (line) => errorLine('stderr', line, now(), announced),
    finish(exit) {
      // gptme prints no final result: its exit status is the verdict, explained by what it said.
      if (exit.code === 0 && !exit.signal) return undefined
      return announced.first ?? exitFailure(exit)
    },
  }
}

/** The conversation name a run gets: gptme refuses unsafe names, so only plain run ids get one. */
export function conversationName(runId: string): string | undefined {
  return /^[A-Za-z0-9_-]{1,100}$/.test(runId) ? `factory-${runId}` : undefined
}

/**
 * Where gptme keeps conversation logs for this environment, as gptme/dirs.py get_logs_dir() and
 * get_data_dir() decide: $GPTME_LOGS_HOME; else $XDG_DATA_HOME/gptme/logs; else
 * ~/.local/share/gptme/logs when ~/.local/share/gptme exists; else platformdirs'
 * user_data_dir("gptme")/logs (macOS ~/Library/Application Support/gptme, Windows
 * %LOCALAPPDATA%\gptme\gptme, elsewhere ~/.local/share/gptme). A relative setting is read
 * against gptme's cwd, which is not guessed here: undefined.
 */
export function gptmeLogsDir(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): string | undefined {
  const absolute = (path: string | undefined): string | undefined =>
    path !== undefined && isAbsolute(path) ? path : undefined
  if (env.GPTME_LOGS_HOME !== undefined) return absolute(env.GPTME_LOGS_HOME)
  if (env.XDG_DATA_HOME !== undefined) {
    const xdg = absolute(env.XDG_DATA_HOME)
    return xdg && join(xdg, 'gptme', 'logs')
  }
  const home = absolute(env.HOME) ?? homedir()
  const old = join(home, '.local', 'share', 'gptme')
  if (existsSync(old)) return join(old, 'logs')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'gptme', 'logs')
  if (platform === 'win32') {
    const local = absolute(env.LOCALAPPDATA)
    return local && join(local, 'gptme', 'gptme', 'logs')
  }
  return join(old, 'logs')
}

/** A conversation log is read up to this size (a long run's is a few MB); the rest is ignored. */
export const MAX_LOG_BYTES = 50 * 1024 * 1024
const CHUNK_BYTES = 1024 * 1024
/** Filesystems with coarse timestamps may date a log written right after the start a bit early. */
const MTIME_SLACK_MS = 2000

const add = (a: number, b: number): number => Math.min(a + b, Number.MAX_SAFE_INTEGER)

/**
 * One line of conversation.jsonl, added to the totals when it is an assistant message. gptme
 * writes one Message.to_dict() per line (gptme/logmanager/manager.py Log.write_jsonl):
 * {role, content, timestamp, …, metadata?}. gptme/message.py MessageMetadata: `model`, `cost`
 * (USD, a float; only when > 0) and `usage` {input_tokens, output_tokens, cache_read_tokens,
 * cache_creation_tokens}, set on assistant messages by gptme/llm/llm_anthropic.py and
 * llm_openai.py _record_usage. input_tokens there excludes cached input (Anthropic's own count;
 * for OpenAI prompt_tokens minus cache reads and writes, gptme/llm/openai_responses.py). gptme
 * 0.31.0 wrote the token counts flat in `metadata`; message.py _migrate_metadata reads both, and
 * so does this.
 */
function addMessage(totals: Usage, message: Json): Usage {
  if (message.role !== 'assistant') return totals
  const meta = obj(message.metadata)
  const usage = meta && (Object.hasOwn(meta, 'usage') ? obj(meta.usage) : meta)
  const cost = meta && typeof meta.cost === 'number' ? Math.max(0, usdToMicros(meta.cost)) : 0
  return {
    inputTokens: add(totals.inputTokens, count(usage?.input_tokens)),
    outputTokens: add(totals.outputTokens, count(usage?.output_tokens)),
    cacheReadTokens: add(totals.cacheReadTokens, count(usage?.cache_read_tokens)),
    cacheWriteTokens: add(totals.cacheWriteTokens, count(usage?.cache_creation_tokens)),
    costMicros: add(totals.costMicros, cost),
    turns: add(totals.turns, 1),
  }
}

/**
 * The usage of the assistant messages in a gptme conversation.jsonl: summed tokens, the cost in
 * micro-dollars (each message's own, converted from its decimal digits) and one turn per
 * assistant message. Lines that are not JSON objects are skipped, and so are lines longer than
 * MAX_JSON_LINE_CHARS; reading stops at MAX_LOG_BYTES. Undefined when there is no such regular
 * file, it could not be read, or it was last written before `notBefore` (ms since the epoch).
 */
export function readConversationUsage(file: string, notBefore = 0): Usage | undefined {
  let fd: number
  try {
    // Non-blocking, so that a FIFO put in the log's place cannot hold the supervisor.
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  } catch {
    return undefined
  }
  try {
    const stat = fstatSync(fd)
    if (!stat.isFile() || stat.mtimeMs < notBefore) return undefined
    let totals = NO_USAGE
    const take = (line: string): void => {
      const message = parseJsonObject(line)
      if (message) totals = addMessage(totals, message)
    }
    const decoder = new StringDecoder('utf8')
    const buffer = Buffer.alloc(CHUNK_BYTES)
    let position = 0
    let carry = ''
    let overlong = false // the line being read is too long to parse: skip it to its end
    for (;;) {
      const room = MAX_LOG_BYTES - position
      const n = room > 0 ? readSync(fd, buffer, 0, Math.min(CHUNK_BYTES, room), position) : 0
      if (n <= 0) break
      position += n
      const lines = (carry + decoder.write(buffer.subarray(0, n))).split('\n')
      carry = lines.pop() ?? ''
      for (const line of lines) {
        if (overlong) overlong = false
        else take(line)
      }
      if (carry.length > MAX_JSON_LINE_CHARS) {
        carry = ''
        overlong = true
      }
    }
    // A last line without its newline counts, unless the cap cut it.
    if (position < MAX_LOG_BYTES && !overlong) take(carry + decoder.end())
    return totals
  } catch {
    return undefined
  } finally {
    closeSync(fd)
  }
}

/** The run's conversation log, if gptme wrote one under the name the invocation gave it. */
export function gptmeUsageAfterExit(context: AfterExitContext): Usage | undefined {
  try {
    const name = conversationName(context.runId)
    const logs = name && gptmeLogsDir(context.env)
    if (!name || !logs) return undefined
    // gptme/cli/main.py get_logdir(): a --name is the folder's name as given (since gptme 0.18.0;
    // only generated names get a date prefix, gptme/util/auto_naming.py generate_conversation_id).
    const file = join(logs, name, 'conversation.jsonl')
    return readConversationUsage(file, context.startedAt - MTIME_SLACK_MS)
  } catch {
    return undefined
  }
}

export const gptmePreset: Preset = {
  name: 'gptme',
  defaultBin: 'gptme',
  invocation: (context) => {
    // --name makes the conversation log findable.
    const name = conversationName(context.runId)
    const named = name ? ['--name', name] : []
    return { file: context.bin, args: ['--non-interactive', ...named, '--', context.prompt] }
  },
  parser: (now = Date.now) => guarded(createGptmeParser(now)),
  usageAfterExit: gptmeUsageAfterExit,
}
