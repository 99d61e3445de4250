// `factory`: parses argv, opens the ledger (--db, FACTORY_DB or the platform default) and runs one
// command. Output goes to stdout (JSON with --json), errors to stderr with a non-zero exit.
import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import { parseArgs } from 'node:util'
import { printable } from '../../shared/text'
import { toErrorPayload } from '../../shared/errors'
import { createEngine, type Engine } from '../core/engine'
import { resolveLedgerPath } from '../core/paths'
import { commands, type Command, type CommandContext, type OptionSpec } from './commands'
import { allocatorCommands } from './allocatorCommands'
import { saturationCommands } from './saturationCommands'
import { capacityCommands } from './capacityCommands'
import { queueCommands } from './queueCommands'
import { runCommands } from './runCommands'
import { serveCommand } from './serve'
import { usageSourceCommands } from './usageSourceCommands'
import { joinNegativeNumbers, parseProblem, problemAsFlags } from './problems'

export interface CliIO {
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Raw output, exactly as given (a run's log); defaults to stdout. */
  write?: (text: string) => void
  env: NodeJS.ProcessEnv
}

const GLOBAL_OPTIONS: OptionSpec = {
  db: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
}

const ALL: Record<string, Command> = {
  ...commands,
  ...runCommands,
  ...capacityCommands,
  ...usageSourceCommands,
  ...queueCommands,
  ...allocatorCommands,
  ...saturationCommands,
  serve: serveCommand,
}

class UsageError extends Error {}

/** The command list: every command, or those of one group (`spec`: spec add, spec list, …). */
export function helpText(group?: string): string {
  const commands = Object.entries(ALL)
    .filter(([name]) => group === undefined || name.startsWith(`${group} `))
    .map(([, command]) => command)
  const width = Math.max(...commands.map((c) => c.usage.split(' [')[0]!.length))
  const lines = commands.map((c) => `  ${c.usage.split(' [')[0]!.padEnd(width)}  ${c.summary}`)
  return [
    group === undefined ? 'factory — run the startup factory from a terminal' : `factory ${group}`,
    '',
    'Commands:',
    ...lines,
    '',
    'Every command accepts --db PATH (or FACTORY_DB) and --json. `factory COMMAND --help` shows its options.',
  ].join('\n')
}

/** The first word typed, when it names a group of commands (`spec`, `run`, `agent`) and no more. */
function groupOf(argv: string[]): string | undefined {
  const first = argv.find((a) => !a.startsWith('-'))
  return first !== undefined && Object.keys(ALL).some((name) => name.startsWith(`${first} `))
    ? first
    : undefined
}

function findCommand(
  all: string[],
): { name: string; command: Command; rest: string[] } | undefined {
  // Words after `--` belong to a command being passed on (`factory drain -- claude …`), not ours.
  const argv = beforeDashes(all)
  // The command's words, skipping options and the value after `--db` (which may come first).
  const words = argv.filter((a, i) => !a.startsWith('-') && argv[i - 1] !== '--db').slice(0, 2)
  for (const name of [words.join(' '), words[0] ?? '']) {
    const command = ALL[name]
    if (command) {
      const rest = [...all]
      for (const word of name.split(' ')) rest.splice(rest.indexOf(word), 1)
      return { name, command, rest }
    }
  }
  return undefined
}

const beforeDashes = (argv: string[]): string[] =>
  argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv

export async function runCli(argv: string[], given: CliIO): Promise<number> {
  // What a spec, an agent or an error message holds reaches a terminal as text, never as escape
  // sequences it would execute. A run's log (`write`) is filtered by its command (run log --raw).
  const io: Required<CliIO> = {
    ...given,
    stdout: (text) => given.stdout(printable(text)),
    stderr: (text) => given.stderr(printable(text)),
    write: given.write ?? ((text) => given.stdout(text)),
  }
  const found = findCommand(argv)
  const json = beforeDashes(argv).includes('--json')
  if (!found) {
    const group = groupOf(beforeDashes(argv))
    if (argv.length === 0 || argv.includes('--help') || argv.includes('-h')) {
      io.stdout(helpText(group))
      return 0
    }
    const typed = beforeDashes(argv)
      .filter((a) => !a.startsWith('-'))
      .slice(0, 2)
      .join(' ')
    const message =
      group === typed
        ? `${group} needs one of its commands`
        : `unknown command "${typed}"${group ? ` (see: factory ${group} --help)` : ''}`
    // Scripts get the one JSON error every refusal gives; people get the list to choose from.
    io.stderr(
      json
        ? JSON.stringify({ error: { code: 'InvalidInput', message } })
        : `factory: ${message}\n\n${helpText(group)}`,
    )
    return 2
  }
  let engine: Engine | undefined
  // A new ledger is said out loud: a typo in --db should not pass for a fresh start in silence
  // (with --json, stderr carries only a JSON error, which scripts parse).
  const made = (opened: Engine): Engine => {
    if (opened.ledger.created && !json)
      io.stderr(`factory: made a new ledger at ${opened.ledger.path}`)
    // What a reading command shows is the truth even with no app or serve open: runs whose
    // supervisor died are found lost first, queue results read back.
    if (found.command.readsOnly) {
      try {
        opened.recoverRuns()
      } catch {
        // busy, or a ledger this user may only read: show what it holds
      }
    }
    return opened
  }
  try {
    const options = { ...GLOBAL_OPTIONS, ...found.command.options }
    const valued = Object.entries(options).filter(([, spec]) => spec.type === 'string')
    const { values, positionals } = parseArgs({
      args: joinNegativeNumbers(found.rest, new Set(valued.map(([name]) => `--${name}`))),
      options,
      allowPositionals: true,
      strict: true,
    })
    if (values.help) {
      io.stdout(`usage: ${found.command.usage}\n  ${found.command.summary}`)
      return 0
    }
    const dbFlag = typeof values.db === 'string' ? values.db : undefined
    const dbPath = resolveLedgerPath(dbFlag, io.env)
    // A typed path into a folder that does not exist is a typo far more often than a wish for a
    // new, empty ledger (which would answer "No agents yet" and look like data was lost).
    if (dbFlag !== undefined && !existsSync(dirname(dbPath))) {
      throw new UsageError(`--db ${dbFlag}: there is no folder ${dirname(dbPath)}`)
    }
    const dashes = found.rest.indexOf('--')
    const context: CommandContext = {
      // The words after `--`, as given (they are also the last positionals, as parseArgs has them).
      values: dashes < 0 ? values : { ...values, '--': found.rest.slice(dashes + 1) },
      positionals,
      json,
      say: io.stdout,
      write: io.write,
      env: io.env,
      engine: (options = {}) =>
        (engine ??= made(
          createEngine({
            dbPath,
            ...(found.command.readsOnly ? { create: false } : {}),
            ...options,
          }),
        )),
      call: (op, input) => context.engine().call(op, input, 'cli'),
      usage: (message) => {
        throw new UsageError(message)
      },
    }
    const { json: data, text, exitCode = 0 } = await found.command.run(context)
    if (json || text) io.stdout(json ? JSON.stringify(data, null, 2) : text)
    return exitCode
  } catch (error) {
    const parsing =
      error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    const payload = parsing
      ? { code: 'InvalidInput' as const, message: parseProblem(error as Error) }
      : toErrorPayload(error)
    // What the operation refuses is named by the flags typed, not by the engine's field names.
    if (!parsing && payload.code === 'InvalidInput')
      payload.message = problemAsFlags(payload.message)
    // A command line that could not be read (exit 2) comes with the command's usage.
    const usage = found.command.usage
    io.stderr(
      json
        ? JSON.stringify({ error: parsing ? { ...payload, usage } : payload })
        : `factory: ${textMessage(payload)}${parsing ? `\nusage: ${usage}` : ''}`,
    )
    return parsing ? 2 : 1
  } finally {
    engine?.close()
  }
}

/**
 * An error as a person reads it: the message alone, which says what is wrong in words (the code is
 * for scripts, in --json). An unexpected failure says so, as its message is a program's.
 */
function textMessage(payload: { code: string; message: string }): string {
  return payload.code === 'Internal'
    ? `something went wrong inside factory: ${payload.message}`
    : payload.message
}
