// The `factory` commands for remote agents' queues (docs/queue.md): `enqueue` on the dashboard's
// side, `drain` on the agent's. `drain --queue DIR` never opens a ledger: the machine that drains
// may have none.
import { resolve } from 'node:path'
import { FactoryError } from '../../shared/errors'
import { parseDuration } from '../../shared/format'
import { queuedFilePath } from '../core/software/queue/enqueue'
import { drain, type Drained } from '../core/software/queue/drainer'
import { DEFAULT_STALE_MS } from '../core/software/queue/maildir'
import { list, one, str } from './args'
import type { Command, CommandContext } from './commands'

function queueDir(c: CommandContext): string {
  const queue = str(c.values.queue)
  const agent = str(c.values.agent)
  if (queue !== undefined && agent !== undefined)
    c.usage('give --queue DIR or --agent NAME, not both')
  if (queue !== undefined) return resolve(queue)
  if (agent === undefined) return c.usage('give --queue DIR or --agent NAME')
  const found = c.call('agent/list', {}).find((a) => a.name === agent)
  if (!found) {
    throw new FactoryError('AgentNotFound', `no agent named "${agent}" (see: factory agent list)`)
  }
  if (!found.queue) {
    return c.usage(
      `${found.name} has no queue; give it one: factory agent set ${found.name} --queue DIR`,
    )
  }
  return found.queue
}

function staleOption(c: CommandContext): number {
  const text = str(c.values.stale)
  if (text === undefined) return DEFAULT_STALE_MS
  return parseDuration(text) ?? c.usage(`--stale takes a duration like 30s or 10m, not "${text}"`)
}

/** The words after `--`, and a complaint about any before it (drain takes none). */
function commandAfterDashes(c: CommandContext): string[] | undefined {
  const after = list(c.values['--'])
  const own = c.positionals.slice(0, c.positionals.length - (after?.length ?? 0))
  if (own.length) c.usage(`unexpected argument "${own[0]}"; a command goes after --`)
  if (after && after.length === 0) c.usage('nothing after --; give the command to run')
  return after
}

/** SIGTERM and SIGINT stop the loop (and its command) instead of killing the process outright. */
async function untilStopped<T>(work: (stop: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  const stop = (): void => controller.abort()
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  try {
    return await work(controller.signal)
  } finally {
    process.off('SIGTERM', stop)
    process.off('SIGINT', stop)
  }
}

export const queueCommands: Record<string, Command> = {
  enqueue: {
    usage: 'factory enqueue SPEC --target NAME',
    summary: 'write a spec into a remote agent’s queue directory (a run in state queued)',
    options: { target: { type: 'string' } },
    run(c) {
      const spec = one(c, 'SPEC')
      const target = str(c.values.target) ?? c.usage('--target is required')
      // Results that came back while no app was open free their slots before the lane is judged.
      c.engine().recoverRuns()
      const run = c.call('queue/enqueue', { spec, target })
      return {
        json: run,
        text: `Queued ${run.id}: ${run.specId} for ${run.agent} in ${queuedFilePath(run)}`,
      }
    },
  },
  drain: {
    usage:
      'factory drain (--queue DIR | --agent NAME) [--once] [--until-empty] [--stale 10m] [--workspace DIR] [-- COMMAND…]',
    summary: 'an agent’s loop: claim queued specs and run COMMAND on each (or print their paths)',
    options: {
      queue: { type: 'string' },
      agent: { type: 'string' },
      once: { type: 'boolean' },
      'until-empty': { type: 'boolean' },
      stale: { type: 'string' },
      workspace: { type: 'string' },
    },
    async run(c) {
      const command = commandAfterDashes(c)
      const once = Boolean(c.values.once)
      if (c.json && !command && !once) {
        c.usage(
          '--json prints at the end; without a command, paths are printed as they are claimed: drop --json or add --once',
        )
      }
      const queue = queueDir(c)
      const staleMs = staleOption(c)
      const workspace = str(c.values.workspace)
      const drained: Drained[] = await untilStopped((stop) =>
        drain({
          queue,
          once,
          untilEmpty: Boolean(c.values['until-empty']),
          staleMs,
          stop,
          ...(command ? { command } : {}),
          ...(workspace ? { workspace: resolve(workspace) } : {}),
          say: (line) => {
            if (!c.json) c.say(line)
          },
          note: (text) => process.stderr.write(`factory drain: ${text}\n`),
        }),
      )
      const failed = drained.some((d) => d.end === 'failed' || d.end === 'lost')
      return {
        json: drained,
        text: '',
        // One spec asked for: the exit status says how it went, as `dispatch --wait` does.
        exitCode: once && failed ? 1 : 0,
      }
    },
  },
}
