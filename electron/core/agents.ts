// Agents are the board's lanes (bob, alice, gordon): added, listed and removed through the ledger.
import { statSync } from 'node:fs'
import { isAbsolute } from 'node:path'
import { asc, eq } from 'drizzle-orm'
import type { ParsedInput } from '../../shared/api'
import type { Agent, RunnerPreset, SpecId } from '../../shared/domain'
import type { QuotaWindow, UsageSources } from '../../shared/quotas'
import { FactoryError } from '../../shared/errors'
import { ACTIVE_RUN_STATES } from '../../shared/runs'
import type { Change, Ledger } from './db/ledger'
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
    maxConcurrent: row.maxConcurrent,
    enabled: row.enabled,
    plan: row.plan,
    quotas: JSON.parse(row.quotas) as QuotaWindow[],
    pausedUntil: row.pausedUntil,
    pauseReason: row.pauseReason,
    quotaStrikes: row.quotaStrikes,
    queue: row.queue,
    usageSources: JSON.parse(row.usageSources) as UsageSources,
    mergeWhenShipped: row.mergeWhenShipped,
    createdAt: row.createdAt,
  }
}

const SETTINGS = [
  'command',
  'workspace',
  'bin',
  'timeoutMs',
  'setup',
  'maxConcurrent',
  'enabled',
  'plan',
  'quotas',
  'queue',
  'usageSources',
  'mergeWhenShipped',
] as const
type AgentSettings = Partial<Pick<Agent, (typeof SETTINGS)[number]>>

/** Settings as columns; paths must be absolute and the workspace must be a folder that exists. */
function settingsColumns(settings: AgentSettings): Partial<AgentRow> {
  for (const [field, path] of [
    ['workspace', settings.workspace],
    ['bin', settings.bin],
    ['queue', settings.queue],
    ['Claude projects folder', settings.usageSources?.claudeLogs?.dir],
    ['credentials file', settings.usageSources?.usageReport?.credentialsFile],
  ] as const) {
    if (path && !isAbsolute(path)) {
      throw new FactoryError('InvalidInput', `${field}: use an absolute path, not "${path}"`)
    }
  }
  if (settings.workspace && !isDirectory(settings.workspace)) {
    throw new FactoryError('InvalidInput', `workspace: ${settings.workspace} is not a folder`)
  }
  const columns: Partial<AgentRow> = {}
  for (const key of SETTINGS) {
    const value = settings[key]
    if (value === undefined) continue
    // Lists and objects are stored as JSON text; everything else as it is.
    const stored = value !== null && typeof value === 'object' ? JSON.stringify(value) : value
    Object.assign(columns, { [key]: stored })
  }
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
    // The schema's own defaults fill in the rest (no pause, no quotas); read back what is stored.
    const row = {
      name,
      runner,
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
    return requireAgent(ledger, name)
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
    // A run at work keeps its lane: its supervisor, its queue file and its quota all name it.
    const working = ledger
      .statement(
        `SELECT runs.id, specs.title FROM runs JOIN specs ON specs.id = runs.spec_id
         WHERE runs.agent = ? AND runs.state IN (${ACTIVE_RUN_STATES.map((s) => `'${s}'`).join(', ')})
         ORDER BY runs.created_at`,
      )
      .all(input.name) as { id: string; title: string }[]
    if (working.length) {
      const first = working[0]!
      const more = working.length > 1 ? ` and ${working.length - 1} more` : ''
      throw new FactoryError(
        'AgentUnavailable',
        `${input.name} has ${working.length} run${working.length === 1 ? '' : 's'} at work ("${first.title}"${more}): let ${working.length === 1 ? 'it' : 'them'} finish or cancel ${working.length === 1 ? 'it' : 'them'} first (factory run cancel ${first.id})`,
      )
    }
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

/** Holds a lane: nothing is dispatched to it until `until` (or until resumed). */
export function pauseAgent(
  ledger: Ledger,
  actor: string,
  input: ParsedInput<'agent/pause'>,
): Agent {
  return ledger.change(actor, (change) => {
    requireAgent(ledger, input.name)
    // A hold that ended before it began would write an event and hold nothing.
    if (input.until !== undefined && input.until <= change.now) {
      throw new FactoryError('InvalidInput', 'until: that time has already passed')
    }
    holdLane(ledger, change, input.name, { until: input.until ?? null, reason: input.reason })
    return requireAgent(ledger, input.name)
  })
}

/**
 * A lane's hold in the read model and its `agent.paused` event, inside `change`: by hand, or by
 * the lane-holding reactor (with `strikes`, its holds in a row, and the `run` that hit the limit).
 */
export function holdLane(
  ledger: Ledger,
  change: Change,
  name: string,
  hold: { until: number | null; reason: string; run?: string; strikes?: number },
): void {
  const reason = hold.reason.slice(0, 200)
  ledger.db
    .update(agents)
    .set({
      pausedUntil: hold.until,
      pauseReason: reason,
      ...(hold.strikes !== undefined ? { quotaStrikes: hold.strikes } : {}),
      updatedAt: change.now,
    })
    .where(eq(agents.name, name))
    .run()
  change.append({ type: 'agent.paused', subject: `agent:${name}`, payload: { ...hold, reason } })
}

/** The end of a lane's hold and its `agent.resumed` event, inside `change`. */
export function releaseLane(
  ledger: Ledger,
  change: Change,
  name: string,
  payload: Record<string, unknown> = {},
): void {
  ledger.db
    .update(agents)
    .set({ pausedUntil: null, pauseReason: null, updatedAt: change.now })
    .where(eq(agents.name, name))
    .run()
  change.append({ type: 'agent.resumed', subject: `agent:${name}`, payload })
}

export function resumeAgent(ledger: Ledger, actor: string, name: string): Agent {
  return ledger.change(actor, (change) => {
    const agent = requireAgent(ledger, name)
    if (agent.pauseReason === null) return agent
    releaseLane(ledger, change, name)
    return requireAgent(ledger, name)
  })
}
