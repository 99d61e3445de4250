// The `factory` commands: each maps words a person types onto one engine operation (or serve).
// No domain logic lives here; input validation is the operation's own zod schema.
import { readFileSync } from 'node:fs'
import type { Input, OperationName, Output } from '../../shared/api'
import type { Engine, EngineOptions } from '../core/engine'
import { printAgents, printBoard, printLog, printSpec, printSpecs } from './print'
import { intOption, list, one, str } from './args'
import { agentSettingFlags, agentSettingOptions } from './runCommands'

export type OptionSpec = Record<
  string,
  { type: 'string' | 'boolean'; multiple?: boolean; short?: string }
>
export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>

export interface CommandContext {
  values: Values
  positionals: string[]
  json: boolean
  /** Prints at once (for long-running commands); normal output is the command's result. */
  say: (text: string) => void
  /** Writes exactly this (no newline added): a run's raw log. */
  write: (text: string) => void
  env: NodeJS.ProcessEnv
  /** The engine on the chosen ledger, opened on first use (with these options). */
  engine: (options?: Omit<EngineOptions, 'dbPath'>) => Engine
  call<Op extends OperationName>(op: Op, input: Input<Op>): Output<Op>
  usage(message: string): never
}

export interface Command {
  usage: string
  summary: string
  options: OptionSpec
  /** Only reads: it never makes a ledger (a missing one, at a mistyped path, is an error). */
  readsOnly?: true
  /** Returns what `--json` prints, the human text and (when not 0) the exit code. */
  run(context: CommandContext): CommandResult | Promise<CommandResult>
}

export interface CommandResult {
  json: unknown
  text: string
  exitCode?: number
}

function bodyOption(context: CommandContext): string | undefined {
  const file = str(context.values['body-file'])
  if (file === undefined) return str(context.values.body)
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8')
  } catch (error) {
    return context.usage(`cannot read --body-file ${file}: ${(error as Error).message}`)
  }
}

const specFields: OptionSpec = {
  title: { type: 'string' },
  body: { type: 'string' },
  'body-file': { type: 'string' },
  tag: { type: 'string', multiple: true },
  priority: { type: 'string' },
  blueprint: { type: 'string' },
}

export const commands: Record<string, Command> = {
  'agent add': {
    usage:
      'factory agent add NAME [--runner claude|codex|gptme|command] [--command "ARGV with {specFile}"] [--workspace DIR] [--bin PATH] [--timeout 2h] [--setup "npm ci"] [--max-concurrent N] [--quota WINDOW:UNIT:LIMIT]... [--plan TEXT] [--enabled yes|no] [--queue DIR] [--claude-logs on|off|DIR] [--usage-report on|off] [--usage-report-url URL] [--credentials FILE] [--merge-when-shipped on|off]',
    summary: 'add an agent lane',
    options: { runner: { type: 'string' }, ...agentSettingOptions },
    run(c) {
      const settings = agentSettingFlags(c)
      const agent = c.call('agent/add', {
        name: one(c, 'NAME'),
        runner: str(c.values.runner) as never,
        command: settings.command ?? null,
        workspace: settings.workspace ?? null,
        bin: settings.bin ?? null,
        timeoutMs: settings.timeoutMs ?? null,
        setup: settings.setup ?? null,
        maxConcurrent: settings.maxConcurrent,
        enabled: settings.enabled,
        plan: settings.plan ?? null,
        quotas: settings.quotas,
        queue: settings.queue ?? null,
        usageSources: settings.usageSources ?? {},
        mergeWhenShipped: settings.mergeWhenShipped,
      })
      const where = agent.queue ? `runs from its queue ${agent.queue}` : agent.runner
      return { json: agent, text: `Added agent ${agent.name} (${where})` }
    },
  },
  'agent list': {
    usage: 'factory agent list',
    readsOnly: true,
    summary: 'list agent lanes',
    options: {},
    run(c) {
      const agents = c.call('agent/list', {})
      return { json: agents, text: printAgents(agents) }
    },
  },
  'agent remove': {
    usage: 'factory agent remove NAME',
    summary: 'remove a lane (its specs go back to Unassigned)',
    options: {},
    run(c) {
      const result = c.call('agent/remove', { name: one(c, 'NAME') })
      const moved = result.unassigned.length
        ? `; ${result.unassigned.length} specs back to Unassigned`
        : ''
      return { json: result, text: `Removed agent ${result.name}${moved}` }
    },
  },
  'spec add': {
    usage:
      'factory spec add --title TEXT [--body TEXT | --body-file PATH|-] [--stage S] [--agent NAME] [--tag T]... [--priority N] [--depends-on ID]... [--key K]',
    summary: 'add a spec (--depends-on: it waits for those specs to ship)',
    options: {
      ...specFields,
      stage: { type: 'string' },
      agent: { type: 'string' },
      source: { type: 'string' },
      'depends-on': { type: 'string', multiple: true },
      key: { type: 'string' },
    },
    run(c) {
      if (c.positionals.length)
        c.usage(`unexpected argument "${c.positionals[0]}" (did you mean --title?)`)
      const title = str(c.values.title) ?? c.usage('--title is required')
      const before = c.engine().ledger.latestSeq()
      const spec = c.call('spec/add', {
        title,
        body: bodyOption(c),
        stage: str(c.values.stage) as never,
        agent: str(c.values.agent),
        source: str(c.values.source) ?? 'cli',
        tags: list(c.values.tag),
        priority: intOption(c, 'priority'),
        blueprint: str(c.values.blueprint),
        dependsOn: list(c.values['depends-on']) as never,
        key: str(c.values.key),
      })
      const waits = spec.waitingOn.length ? ` (waits for ${spec.waitingOn.join(', ')})` : ''
      // A retry with a key already used wrote nothing: say so, not "Added".
      if (c.engine().ledger.latestSeq() === before) {
        return {
          json: spec,
          text: `Already added with key ${str(c.values.key)}: ${spec.id}: ${spec.title}; nothing changed`,
        }
      }
      return { json: spec, text: `Added ${spec.id}: ${spec.title}${waits}` }
    },
  },
  'spec list': {
    usage: 'factory spec list [--stage idea|software|marketing] [--agent NAME]',
    readsOnly: true,
    summary: 'list specs',
    options: { stage: { type: 'string' }, agent: { type: 'string' } },
    run(c) {
      const specs = c.call('spec/list', {
        stage: str(c.values.stage) as never,
        agent: str(c.values.agent),
      })
      return { json: specs, text: printSpecs(specs) }
    },
  },
  'spec show': {
    usage: 'factory spec show ID',
    readsOnly: true,
    summary: 'show one spec with its body',
    options: {},
    run(c) {
      const spec = c.call('spec/get', { id: one(c, 'ID') })
      return { json: spec, text: printSpec(spec) }
    },
  },
  'spec move': {
    usage: 'factory spec move ID --stage idea|software|marketing [--agent NAME | --unassign]',
    summary: 'move a spec to another column and/or lane',
    options: {
      stage: { type: 'string' },
      agent: { type: 'string' },
      unassign: { type: 'boolean' },
    },
    run(c) {
      const stage = str(c.values.stage) ?? c.usage('--stage is required')
      if (c.values.unassign && c.values.agent) c.usage('use --agent or --unassign, not both')
      const agent = c.values.unassign ? null : str(c.values.agent)
      const spec = c.call('spec/move', {
        id: one(c, 'ID'),
        stage: stage as never,
        ...(agent !== undefined ? { agent } : {}),
      })
      return {
        json: spec,
        text: `Moved ${spec.id} to ${spec.stage} · ${spec.agent ?? 'unassigned'}`,
      }
    },
  },
  'spec edit': {
    usage:
      'factory spec edit ID [--title TEXT] [--body TEXT | --body-file PATH|-] [--tag T]... [--priority N] [--depends-on ID]... [--no-dependencies]',
    summary: 'change a spec’s title, body, tags, priority or dependencies',
    options: {
      ...specFields,
      'depends-on': { type: 'string', multiple: true },
      'no-dependencies': { type: 'boolean' },
    },
    run(c) {
      if (c.values['no-dependencies'] && c.values['depends-on'] !== undefined) {
        c.usage('use --depends-on or --no-dependencies, not both')
      }
      const dependsOn = c.values['no-dependencies'] ? [] : list(c.values['depends-on'])
      const spec = c.call('spec/edit', {
        id: one(c, 'ID'),
        title: str(c.values.title),
        body: bodyOption(c),
        tags: list(c.values.tag),
        priority: intOption(c, 'priority'),
        blueprint: str(c.values.blueprint),
        dependsOn: dependsOn as never,
      })
      return { json: spec, text: `Saved ${spec.id}: ${spec.title}` }
    },
  },
  board: {
    usage: 'factory board',
    readsOnly: true,
    summary: 'the board: lanes × columns',
    options: {},
    run(c) {
      const board = c.call('board/get', {})
      return { json: board, text: printBoard(board) }
    },
  },
  log: {
    usage: 'factory log [--limit N] [--after SEQ]',
    readsOnly: true,
    summary: 'the ledger’s events, newest last',
    options: { limit: { type: 'string' }, after: { type: 'string' } },
    run(c) {
      const events = c.call('log/list', {
        limit: intOption(c, 'limit'),
        after: intOption(c, 'after'),
      })
      return { json: events, text: printLog(events) }
    },
  },
}
