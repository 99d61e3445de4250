// Command preset: any argv, with {specFile}, {runId} and {outputDir} substituted inside each element
// (never through a shell), and every output line kept raw. Its exit status is the verdict.
import { errorLine } from './failures'
import { Announced, exitFailure, guarded, raw } from './parsing'
import type { InvocationContext, OutputParser, Preset } from './types'

const PLACEHOLDER = /\{(specFile|runId|outputDir)\}/g

/**
 * One pass per element: a value that itself contains "{runId}" or shell syntax is inserted
 * literally and never re-read, and each element stays exactly one argv element.
 */
export function substitute(arg: string, context: InvocationContext): string {
  return arg.replace(PLACEHOLDER, (_, key: 'specFile' | 'runId' | 'outputDir') => context[key])
}

function createCommandParser(now: () => number): OutputParser {
  const announced = new Announced()
  return {
    // Every line, blank ones included: this transcript is the program's output as printed.
    stdout: (line) => ({ entries: [raw('stdout', line)] }),
    // stderr is also classified, so a failing command can say why (a 429, an expired login …).
    stderr: (line) => {
      const out = errorLine('stderr', line, now(), announced)
      return out.entries.length > 0 ? out : { entries: [raw('stderr', line)] }
    },
    finish(exit) {
      // Any exit 0 is a success here: a plain command has no output format to get wrong.
      if (exit.code === 0 && !exit.signal) return undefined
      return announced.first ?? exitFailure(exit)
    },
  }
}

export const commandPreset: Preset = {
  name: 'command',
  // No default: the executable is the command's own argv[0], which dispatch resolves into `bin`.
  defaultBin: '',
  invocation: (context) => ({
    file: context.bin,
    // argv[0] is `bin` already; the rest is the user's argv with its placeholders filled in.
    args: (context.command ?? []).slice(1).map((arg) => substitute(arg, context)),
  }),
  parser: (now = Date.now) => guarded(createCommandParser(now)),
}
