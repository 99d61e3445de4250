// gptme preset: `gptme --non-interactive [--name factory-<runId>] -- <prompt>`, and a parser for
// its plain-text stdout ("Assistant: …", "System: …" messages with ``` fenced blocks).
// Sources: gptme/gptme gptme/cli/main.py (--non-interactive implies --no-confirm; --name; prompts
// are positional), gptme/message.py (format_msgs prints "<Role>: " + content, a ✅/❌ after
// "System: "; code blocks stay ``` fenced when stdout is not a tty), gptme/tools/shell.py ("Ran
// command: `ls`" then a ```stdout block). Usage: gptme prints none; it records each assistant
// message's metadata {cost (USD), usage {input_tokens, output_tokens, cache_read_tokens,
// cache_creation_tokens}} in $GPTME_LOGS_HOME (default $XDG_DATA_HOME/gptme/logs, else
// ~/.local/share/gptme/logs)/<name>/conversation.jsonl. That is why the run gets a known --name;
// reading that file after exit is the supervisor's to add. Here only turns are counted.
// (gptme ≥ 0.32 also has --output-format json; text is used so older releases work too.)
import type { TranscriptEntry } from '../../../../shared/runs'
import { errorLine } from './failures'
import { Announced, clip, chomp, exitFailure, guarded, MAX_ENTRY_CHARS, NOTHING } from './parsing'
import { raw, type ToolCall, type ToolResult } from './parsing'
import type { OutputParser, ParsedOutput, Preset } from './types'

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

export const gptmePreset: Preset = {
  name: 'gptme',
  defaultBin: 'gptme',
  invocation: (context) => {
    // --name makes the conversation log findable; gptme refuses unsafe names, so only plain ids.
    const name = /^[A-Za-z0-9_-]{1,100}$/.test(context.runId)
      ? ['--name', `factory-${context.runId}`]
      : []
    return { file: context.bin, args: ['--non-interactive', ...name, '--', context.prompt] }
  },
  parser: (now = Date.now) => guarded(createGptmeParser(now)),
}
