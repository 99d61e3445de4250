// The runner presets by name: how each agent CLI is invoked and how its output is read.
import type { RunnerPreset } from '../../../../shared/domain'
import type { Usage } from '../../../../shared/runs'
import { claudePreset } from './claude'
import { codexPreset } from './codex'
import { commandPreset } from './command'
import { gptmePreset } from './gptme'
import type { AfterExitContext, Preset } from './types'

export type {
  AfterExitContext,
  Invocation,
  InvocationContext,
  OutputParser,
  ParsedOutput,
  Preset,
} from './types'
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

/**
 * `counted` (what the agent's output reported) completed by what the preset reads after exit
 * (gptme: its conversation log): a field the output left at 0 takes the recorded total, one the
 * output reported keeps its figure. Without such a reader, or when it finds nothing or fails,
 * `counted` as it was.
 */
export function withUsageAfterExit(
  preset: Preset,
  counted: Usage,
  context: AfterExitContext,
): Usage {
  const recorded = ((): Usage | undefined => {
    try {
      return preset.usageAfterExit?.(context)
    } catch {
      return undefined
    }
  })()
  if (!recorded) return counted
  const fill = (key: keyof Usage): number => {
    const value = recorded[key]
    return counted[key] === 0 && Number.isSafeInteger(value) && value > 0 ? value : counted[key]
  }
  return {
    inputTokens: fill('inputTokens'),
    outputTokens: fill('outputTokens'),
    cacheReadTokens: fill('cacheReadTokens'),
    cacheWriteTokens: fill('cacheWriteTokens'),
    costMicros: fill('costMicros'),
    turns: fill('turns'),
  }
}
