// The `factory` commands for agents' settings and runs: dispatch, runs, run show|log|cancel|retry,
// and review (diff, merge, discard, changes). Each maps onto engine operations.
import { isAbsolute, resolve } from 'node:path'
import { parseDuration } from '../../shared/format'
import { isRunActive, type Run } from '../../shared/runs'
import { PrintableLog } from '../../shared/text'
import { splitArgv } from '../../shared/argv'
import { one, str } from './args'
import type { Command, CommandContext, OptionSpec } from './commands'
import { printRun, printRuns } from './printRuns'
import { usageSourceFlags, usageSourceOptions } from './usageSourceCommands'

/** Agent settings from flags; `undefined` for flags not given (edit keeps those). */
export function agentSettingFlags(c: CommandContext) {
  const argv = (flag: string): string[] | undefined => {
    const text = str(c.values[flag])
    if (text === undefined) return undefined
    try {
      return splitArgv(text)
    } catch (error) {
      return c.usage(`--${flag}: ${(error as Error).message}`)
    }
  }
  const path = (flag: string): string | undefined => {
    const text = str(c.values[flag])
    return text === undefined ? undefined : isAbsolute(text) ? text : resolve(text)
  }
  const timeout = str(c.values.timeout)
  const timeoutMs = timeout === undefined ? undefined : parseDuration(timeout)
  if (timeout !== undefined && timeoutMs === undefined) {
    c.usage(`--timeout takes a duration like 90s, 30m, 2h or 1h30m, not "${timeout}"`)
  }
  const max = str(c.values['max-concurrent'])
  if (max !== undefined && !/^\d+$/.test(max)) {
    c.usage(`--max-concurrent takes a whole number, not "${max}"`)
  }
  const enabled = str(c.values.enabled)
  if (enabled !== undefined && !['yes', 'no'].includes(enabled)) {
    c.usage(`--enabled takes yes or no, not "${enabled}"`)
  }
  const merge = str(c.values['merge-when-shipped'])
  if (merge !== undefined && !['on', 'off'].includes(merge)) {
    c.usage(`--merge-when-shipped takes on or off, not "${merge}"`)
  }
  const quotas = c.values.quota
  return {
    command: argv('command'),
    workspace: path('workspace'),
    bin: path('bin'),
    queue: path('queue'),
    timeoutMs,
    setup: argv('setup'),
    maxConcurrent: max === undefined ? undefined : Number(max),
    enabled: enabled === undefined ? undefined : enabled === 'yes',
    plan: str(c.values.plan),
    // Checked by the operation's schema, which says what is wrong with a window it cannot read.
    quotas: Array.isArray(quotas)
      ? quotas.filter((q): q is string => typeof q === 'string')
      : undefined,
    // Merged into what the agent (NAME, the first word) has: one flag changes one thing.
    // A trusted lane: its shipped runs' branches are merged by the engine.
    mergeWhenShipped: merge === undefined ? undefined : merge === 'on',
    usageSources: usageSourceFlags(
      c,
      () =>
        c.call('agent/list', {}).find((agent) => agent.name === c.positionals[0])?.usageSources ??
        {},
    ),
  }
}

export const agentSettingOptions: OptionSpec = {
  command: { type: 'string' },
  workspace: { type: 'string' },
  bin: { type: 'string' },
  timeout: { type: 'string' },
  setup: { type: 'string' },
  'max-concurrent': { type: 'string' },
  enabled: { type: 'string' },
  plan: { type: 'string' },
  quota: { type: 'string', multiple: true },
  queue: { type: 'string' },
  'merge-when-shipped': { type: 'string' },
  ...usageSourceOptions,
}

/** Waits for the run to end, following the ledger (any process may record it). */
async function waitForEnd(c: CommandContext, id: Run['id'], timeoutMs = Infinity): Promise<Run> {
  const engine = c.engine()
  const deadline = Date.now() + timeoutMs
  let run = c.call('run/get', { id })
  while (isRunActive(run.state) && Date.now() < deadline) {
    await new Promise<void>((done) => {
      const stop = engine.subscribe((event) => {
        if (event.subject === id) finish()
      })
      // A supervisor that dies records nothing: recovery, checked now and then, catches that.
      const timer = setTimeout(finish, 1000)
      function finish(): void {
        stop()
        clearTimeout(timer)
        done()
      }
    })
    engine.recoverRuns()
    run = c.call('run/get', { id })
  }
  return run
}

function runResult(run: Run): { json: unknown; text: string; exitCode: number } {
  const failed = run.state === 'failed' || run.state === 'lost'
  return { json: run, text: printRun(run), exitCode: failed ? 1 : 0 }
}

export const runCommands: Record<string, Command> = {
  'agent set': {
    usage:
      'factory agent set NAME [--command "ARGV with {specFile}"] [--workspace DIR] [--bin PATH] [--timeout 2h] [--setup "npm ci"] [--max-concurrent N] [--quota WINDOW:UNIT:LIMIT]... [--plan TEXT] [--enabled yes|no] [--queue DIR] [--claude-logs on|off|DIR] [--usage-report on|off] [--usage-report-url URL] [--credentials FILE] [--merge-when-shipped on|off]',
    summary: 'change an agent’s settings (--quota given once or more replaces all its windows)',
    options: agentSettingOptions,
    run(c) {
      const agent = c.call('agent/edit', { name: one(c, 'NAME'), ...agentSettingFlags(c) })
      return { json: agent, text: `Saved agent ${agent.name}` }
    },
  },
  dispatch: {
    usage: 'factory dispatch SPEC --agent NAME [--wait]',
    summary: 'start a run of a spec on an agent (--wait: until it ends, then print it)',
    options: { agent: { type: 'string' }, wait: { type: 'boolean' } },
    async run(c) {
      const spec = one(c, 'SPEC')
      const agent = str(c.values.agent) ?? c.usage('--agent is required')
      // Runs that ended while no app was open free their slots before the lane's room is judged.
      c.engine().recoverRuns()
      const run = c.call('run/dispatch', { spec, agent })
      if (!c.values.wait) {
        return {
          json: run,
          text: `Started ${run.id}: ${run.specId} on ${run.agent}. Follow it: factory run log ${run.id} --follow`,
        }
      }
      if (!c.json) c.say(`Started ${run.id}: ${run.specId} on ${run.agent}; waiting for it to end…`)
      return runResult(await waitForEnd(c, run.id))
    },
  },
  runs: {
    usage: 'factory runs [--spec ID] [--limit N]',
    readsOnly: true,
    summary: 'list runs, newest first',
    options: { spec: { type: 'string' }, limit: { type: 'string' } },
    run(c) {
      const limit = str(c.values.limit)
      if (limit !== undefined && !/^\d+$/.test(limit))
        c.usage(`--limit takes a number, not "${limit}"`)
      const runs = c.call('run/list', {
        spec: str(c.values.spec),
        ...(limit ? { limit: Number(limit) } : {}),
      })
      return { json: runs, text: printRuns(runs) }
    },
  },
  'run show': {
    usage: 'factory run show RUN',
    readsOnly: true,
    summary: 'one run: state, failure class, exit, usage, artifact',
    options: {},
    run(c) {
      return runResult(c.call('run/get', { id: one(c, 'RUN') }))
    },
  },
  'run log': {
    usage: 'factory run log RUN [--follow] [--raw]',
    readsOnly: true,
    summary:
      'the run’s log, its colours kept and other escape sequences shown as text (--follow: until it ends; --raw: the bytes as written, for a file)',
    options: { follow: { type: 'boolean' }, raw: { type: 'boolean' } },
    async run(c) {
      const id = one(c, 'RUN')
      let offset = 0
      // With --json the log goes inside the one JSON document instead of before it.
      let collected = ''
      // An agent's output may retitle or clear the terminal: shown, not executed, unless asked.
      const shown = c.values.raw ? undefined : new PrintableLog()
      const print = (): void => {
        for (;;) {
          const chunk = c.call('run/log', { id, offset, limit: 1_048_576 })
          if (chunk.text && c.json) collected += chunk.text
          else if (chunk.text) c.write(shown ? shown.push(chunk.text) : chunk.text)
          offset = chunk.offset + Buffer.byteLength(chunk.text)
          // Nothing new: the end, or a character still being written (it comes with the next read).
          if (!chunk.text || offset >= chunk.size) return
        }
      }
      print()
      if (c.values.follow) {
        let run = c.call('run/get', { id })
        while (isRunActive(run.state)) {
          await new Promise((done) => setTimeout(done, 250))
          print()
          c.engine().recoverRuns()
          run = c.call('run/get', { id })
        }
        print()
      }
      if (shown && !c.json) c.write(shown.end())
      const run = c.call('run/get', { id })
      return { json: { run: run.id, bytes: offset, text: collected }, text: '' }
    },
  },
  'run cancel': {
    usage: 'factory run cancel RUN',
    summary: 'stop a run and everything it started',
    options: {},
    async run(c) {
      const run = c.call('run/cancel', { id: one(c, 'RUN') })
      const ended = await waitForEnd(c, run.id, 15_000)
      // A cancelled run is a failed run, but the cancel itself succeeded: exit 1 (as runResult
      // would) only when the run did not stop, so `factory run cancel r_3 && …` works.
      return { ...runResult(ended), exitCode: isRunActive(ended.state) ? 1 : 0 }
    },
  },
  'run retry': {
    usage: 'factory run retry RUN [--wait]',
    summary: 'run the same spec again on the same agent and branch',
    options: { wait: { type: 'boolean' } },
    async run(c) {
      const run = c.call('run/retry', { id: one(c, 'RUN') })
      if (!c.values.wait) return { json: run, text: `Started ${run.id} (retry)` }
      return runResult(await waitForEnd(c, run.id))
    },
  },
  'run changes': {
    usage: 'factory run changes RUN --comments TEXT [--wait]',
    summary: 'request changes: a follow-up run in the same worktree with your comments',
    options: { comments: { type: 'string' }, wait: { type: 'boolean' } },
    async run(c) {
      const comments = str(c.values.comments) ?? c.usage('--comments is required')
      const run = c.call('run/request-changes', { id: one(c, 'RUN'), comments })
      if (!c.values.wait) return { json: run, text: `Started ${run.id} (follow-up)` }
      return runResult(await waitForEnd(c, run.id))
    },
  },
  'run diff': {
    usage: 'factory run diff RUN',
    readsOnly: true,
    summary: 'the run’s changes against its base',
    options: {},
    run(c) {
      const diff = c.call('run/diff', { id: one(c, 'RUN') })
      return { json: diff, text: diff.patch || 'No changes.' }
    },
  },
  'run merge': {
    usage: 'factory run merge RUN',
    summary: 'merge the run’s branch into its base',
    options: {},
    run(c) {
      const result = c.call('run/merge', { id: one(c, 'RUN') })
      return { json: result, text: `Merged (${result.commit.slice(0, 10)})` }
    },
  },
  'run discard': {
    usage: 'factory run discard RUN [--yes]',
    summary: 'remove the run’s worktree and branch (--yes: even if work would be lost)',
    options: { yes: { type: 'boolean' } },
    run(c) {
      const result = c.call('run/discard', {
        id: one(c, 'RUN'),
        confirmLoss: Boolean(c.values.yes),
      })
      return { json: result, text: 'Discarded.' }
    },
  },
}
