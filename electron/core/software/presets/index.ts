// The runner presets by name: how each agent CLI is invoked and how its output is read.
import type { RunnerPreset } from '../../../../shared/domain'
import { claudePreset } from './claude'
import { codexPreset } from './codex'
import { commandPreset } from './command'
import { gptmePreset } from './gptme'
import type { Preset } from './types'

export type { Invocation, InvocationContext, OutputParser, ParsedOutput, Preset } from './types'
export { classifyFailure, parseResetAt, usdToMicros } from './failures'

export const PRESETS: Record<RunnerPreset, Preset> = {
  claude: claudePreset,
  codex: codexPreset,
  gptme: gptmePreset,
  command: commandPreset,
}

export function presetFor(name: RunnerPreset): Preset {
  // Own keys only: a name from a stale row must not reach Object.prototype.
  if (!Object.hasOwn(PRESETS, name)) throw new Error(`unknown runner preset: ${String(name)}`)
  return PRESETS[name]
}
