// Agents are the board's lanes (bob, alice, gordon): added, listed and removed through the ledger.
import { asc, eq } from 'drizzle-orm'
import type { ParsedInput } from '../../shared/api'
import type { Agent, RunnerPreset, SpecId } from '../../shared/domain'
import { FactoryError } from '../../shared/errors'
import type { Ledger } from './db/ledger'
import { agents, specs } from './db/schema'

type AgentRow = typeof agents.$inferSelect

function toAgent(row: AgentRow): Agent {
  return { name: row.name, runner: row.runner as RunnerPreset, createdAt: row.createdAt }
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
    const row = {
      name: input.name,
      runner: input.runner,
      createdAt: change.now,
      updatedAt: change.now,
    }
    ledger.db.insert(agents).values(row).run()
    change.append({
      type: 'agent.added',
      subject: `agent:${input.name}`,
      payload: { runner: input.runner },
    })
    return toAgent(row)
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
