// Agents are the board's lanes (bob, alice, gordon): added, listed and removed through the ledger.
import { statSync } from 'node:fs'
import { isAbsolute } from 'node:path'
import { asc, eq } from 'drizzle-orm'
import type { ParsedInput } from '../../shared/api'
import type { Agent, RunnerPreset, SpecId } from '../../shared/domain'
import { FactoryError } from '../../shared/errors'
import type { Ledger } from './db/ledger'
import { agents, specs } from './db/schema'

type AgentRow = typeof agents.$inferSelect

const argv = (text: string | null): string[] | null =>
  text === null ? null : (JSON.parse(text) as string[])

function toAgent(row: AgentRow): Agent {
  return {
    name: row.name,
    runner: row.runner as RunnerPreset,
    command: argv(row.command),
    workspace: row.workspace,
    bin: row.bin,
    timeoutMs: row.timeoutMs,
    setup: argv(row.setup),
    createdAt: row.createdAt,
  }
}

type AgentSettings = Partial<Pick<Agent, 'command' | 'workspace' | 'bin' | 'timeoutMs' | 'setup'>>

/** Settings as columns; paths must be absolute and the workspace must be a folder that exists. */
function settingsColumns(settings: AgentSettings): Partial<AgentRow> {
  for (const [field, path] of [
    ['workspace', settings.workspace],
    ['bin', settings.bin],
  ] as const) {
    if (path && !isAbsolute(path)) {
      throw new FactoryError('InvalidInput', `${field}: use an absolute path, not "${path}"`)
    }
  }
  if (settings.workspace && !isDirectory(settings.workspace)) {
    throw new FactoryError('InvalidInput', `workspace: ${settings.workspace} is not a folder`)
  }
  const columns: Partial<AgentRow> = {}
  if (settings.command !== undefined)
    columns.command = settings.command && JSON.stringify(settings.command)
  if (settings.setup !== undefined) columns.setup = settings.setup && JSON.stringify(settings.setup)
  if (settings.workspace !== undefined) columns.workspace = settings.workspace
  if (settings.bin !== undefined) columns.bin = settings.bin
  if (settings.timeoutMs !== undefined) columns.timeoutMs = settings.timeoutMs
  return columns
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}

export function listAgents(ledger: Ledger): Agent[] {
  return ledger.db
    .select()
    .from(agents)
    .orderBy(asc(agents.createdAt), asc(agents.name))
    .all()
    .map(toAgent)
}

export function findAgent(ledger: Ledger, name: string): Agent | undefined {
  const row = ledger.db.select().from(agents).where(eq(agents.name, name)).get()
  return row && toAgent(row)
}

export function requireAgent(ledger: Ledger, name: string): Agent {
  const agent = findAgent(ledger, name)
  if (!agent)
    throw new FactoryError('AgentNotFound', `no agent named "${name}" (see: factory agent list)`)
  return agent
}

export function addAgent(ledger: Ledger, actor: string, input: ParsedInput<'agent/add'>): Agent {
  return ledger.change(actor, (change) => {
    if (findAgent(ledger, input.name)) {
      throw new FactoryError('AgentExists', `an agent named "${input.name}" already exists`)
    }
    const { name, runner, ...settings } = input
    const row: AgentRow = {
      name,
      runner,
      command: null,
      workspace: null,
      bin: null,
      timeoutMs: null,
      setup: null,
      ...settingsColumns(settings),
      createdAt: change.now,
      updatedAt: change.now,
    }
    ledger.db.insert(agents).values(row).run()
    change.append({
      type: 'agent.added',
      subject: `agent:${name}`,
      payload: { runner, ...settings },
    })
    return toAgent(row)
  })
}

export function editAgent(ledger: Ledger, actor: string, input: ParsedInput<'agent/edit'>): Agent {
  return ledger.change(actor, (change) => {
    const { name, ...settings } = input
    const before = requireAgent(ledger, name)
    ledger.db
      .update(agents)
      .set({ ...settingsColumns(settings), updatedAt: change.now })
      .where(eq(agents.name, name))
      .run()
    const previous = Object.fromEntries(
      Object.keys(settings).map((key) => [key, before[key as keyof AgentSettings]]),
    )
    change.append({
      type: 'agent.edited',
      subject: `agent:${name}`,
      payload: { changed: settings, previous },
    })
    return requireAgent(ledger, name)
  })
}

/** Removing a lane sends its cards back to Unassigned rather than losing them. */
export function removeAgent(
  ledger: Ledger,
  actor: string,
  input: ParsedInput<'agent/remove'>,
): { name: string; unassigned: SpecId[] } {
  return ledger.change(actor, (change) => {
    requireAgent(ledger, input.name)
    const assigned = ledger.db
      .select({ id: specs.id })
      .from(specs)
      .where(eq(specs.agent, input.name))
      .all()
      .map((r) => r.id as SpecId)
    ledger.db
      .update(specs)
      .set({ agent: null, updatedAt: change.now })
      .where(eq(specs.agent, input.name))
      .run()
    ledger.db.delete(agents).where(eq(agents.name, input.name)).run()
    change.append({
      type: 'agent.removed',
      subject: `agent:${input.name}`,
      payload: { unassigned: assigned },
    })
    return { name: input.name, unassigned: assigned }
  })
}
