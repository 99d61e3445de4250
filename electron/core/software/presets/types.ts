// What a runner preset is: how to invoke an agent CLI with a spec, and how to read what it prints.
// The supervisor feeds every output line to the preset's parser and records what comes back.
import type { RunnerPreset } from '../../../../shared/domain'
import type { Failure, TranscriptEntry, Usage } from '../../../../shared/runs'

export interface InvocationContext {
  /** Absolute path of the agent CLI (or argv[0] for `command`), already resolved on PATH. */
  bin: string
  /** Markdown file holding the spec (title, body, reviewer comments on a follow-up). */
  specFile: string
  /** The prompt text, for CLIs that need it as an argument; never passed through a shell. */
  prompt: string
  runId: string
  outputDir: string
  /** For `command`: the user's argv with {specFile}, {runId}, {outputDir} placeholders. */
  command?: string[]
}

export interface Invocation {
  file: string
  args: string[]
  /** Text written to the child's stdin and then closed; undefined: stdin is /dev/null. */
  stdin?: string
}

/** What one line of output meant. Every field is optional: most lines only add transcript. */
export interface ParsedOutput {
  entries: TranscriptEntry[]
  /** Usage to add to the run's total (a delta, never a running total). */
  usage?: Partial<Usage>
  /**
   * Usage that replaces everything counted so far (e.g. a final `result` whose totals are
   * authoritative); the supervisor records the difference.
   */
  finalUsage?: Usage
  /** A failure the output announced (a 429, "limit reached · resets 6am", an auth error …). */
  failure?: Failure
}

export interface OutputParser {
  stdout(line: string): ParsedOutput
  stderr(line: string): ParsedOutput
  /**
   * Called once when the process has exited (code null when killed by a signal). Returns the
   * failure if the run failed by the preset's reading (e.g. bad_output: exit 0 but nothing
   * parseable; max_turns from the result), or undefined when the output says it succeeded.
   */
  finish(exit: { code: number | null; signal: string | null }): Failure | undefined
}

/** What a preset is told once the agent has exited, to find what the CLI recorded on its own. */
export interface AfterExitContext {
  runId: string
  /** The environment the agent ran with (where the CLI keeps its logs: HOME, XDG_*, …). */
  env: NodeJS.ProcessEnv
  /** When the agent was started (ms since the epoch): a log older than that is not this run's. */
  startedAt: number
}

export interface Preset {
  name: RunnerPreset
  /** The executable name searched on PATH when the agent has no --bin. */
  defaultBin: string
  invocation(context: InvocationContext): Invocation
  /** `now` lets tests pin the clock that relative reset times ("resets 6am") are read against. */
  parser(now?: () => number): OutputParser
  /**
   * Optional, for CLIs that print no usage but record it elsewhere (gptme's conversation log):
   * the run's totals as that record has them, or undefined when there is none. Called once after
   * the agent exits; the supervisor takes only the fields its output left at 0. Must not throw.
   */
  usageAfterExit?(context: AfterExitContext): Usage | undefined
}
