// Chaining: a spec can wait for others to ship. A dependency is met once the spec it names has
// shipped an artifact (whatever happens to its card afterwards in Marketing). Cycles are refused
// when they would be written, so the allocator never meets one.
import { eq } from 'drizzle-orm'
import type { SpecId } from '../../shared/domain'
import { FactoryError } from '../../shared/errors'
import type { Ledger } from './db/ledger'
import { specDependencies, specs } from './db/schema'

export function dependenciesOf(ledger: Ledger, specId: string): SpecId[] {
  return ledger.db
    .select({ id: specDependencies.dependsOn })
    .from(specDependencies)
    .where(eq(specDependencies.specId, specId))
    .all()
    .map((row) => row.id as SpecId)
}

/** The specs that depend on this one, oldest link first. */
export function dependentsOf(ledger: Ledger, specId: string): SpecId[] {
  return (
    ledger.sqlite
      .prepare('SELECT spec_id AS id FROM spec_dependencies WHERE depends_on = ? ORDER BY rowid')
      .all(specId) as { id: SpecId }[]
  ).map((row) => row.id)
}

/**
 * SQL for the unmet dependencies of the spec whose id is `specId` (an SQL expression), as one
 * space-separated text or NULL: a dependency is met once that spec has shipped an artifact.
 */
export function unmetDependenciesSql(specId: string): string {
  return `(SELECT group_concat(d.depends_on, ' ') FROM spec_dependencies d
    WHERE d.spec_id = ${specId}
      AND NOT EXISTS (SELECT 1 FROM artifacts a WHERE a.spec_id = d.depends_on))`
}

/** The dependencies that have not shipped yet. */
export function unmetDependencies(ledger: Ledger, specId: string): SpecId[] {
  // Listed in the order they were given (the board's and allocator's lists need no order).
  return (
    ledger.sqlite
      .prepare(
        `SELECT d.depends_on AS id FROM spec_dependencies d
         WHERE d.spec_id = ? AND NOT EXISTS (SELECT 1 FROM artifacts a WHERE a.spec_id = d.depends_on)
         ORDER BY d.rowid`,
      )
      .all(specId) as { id: SpecId }[]
  ).map((row) => row.id)
}

/**
 * Replaces a spec's dependencies. Inside the caller's transaction: every id must exist, and none
 * may lead back to the spec (s_3 → s_1 → s_3 is refused, naming the loop).
 */
export function setDependencies(ledger: Ledger, specId: SpecId, dependsOn: SpecId[]): void {
  for (const id of dependsOn) {
    if (id === specId) {
      throw new FactoryError('DependencyCycle', `${specId} cannot depend on itself`)
    }
    if (!ledger.db.select({ id: specs.id }).from(specs).where(eq(specs.id, id)).get()) {
      throw new FactoryError('SpecNotFound', `${specId} cannot depend on ${id}: no such spec`)
    }
    const loop = pathBetween(ledger, id, specId)
    if (loop) {
      throw new FactoryError(
        'DependencyCycle',
        `${specId} cannot depend on ${id}: that would be a cycle (${[specId, ...loop].join(' → ')})`,
      )
    }
  }
  ledger.db.delete(specDependencies).where(eq(specDependencies.specId, specId)).run()
  for (const id of dependsOn) {
    ledger.db.insert(specDependencies).values({ specId, dependsOn: id }).run()
  }
}

/** A dependency path from `from` to `to` (both included), or null: breadth first, each spec once. */
function pathBetween(ledger: Ledger, from: SpecId, to: SpecId): SpecId[] | null {
  const cameFrom = new Map<SpecId, SpecId | null>([[from, null]])
  const queue: SpecId[] = [from]
  while (queue.length > 0) {
    const current = queue.shift()!
    if (current === to) {
      const path: SpecId[] = []
      for (let at: SpecId | null = current; at !== null; at = cameFrom.get(at) ?? null) {
        path.unshift(at)
      }
      return path
    }
    for (const next of dependenciesOf(ledger, current)) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, current)
        queue.push(next)
      }
    }
  }
  return null
}
