// Specs: the unit of work that flows Idea → Software → Marketing. Every change appends its event and
// updates the `specs` read model in the same transaction.
import { and, desc, eq, type SQL } from 'drizzle-orm'
import type { ParsedInput } from '../../shared/api'
import {
  toCard,
  type Spec,
  type SpecCard,
  type SpecId,
  type SpecStatus,
  type Stage,
} from '../../shared/domain'
import { isRunActive, type RunBadge } from '../../shared/runs'
import { FactoryError } from '../../shared/errors'
import { requireAgent } from './agents'
import type { Change, Ledger } from './db/ledger'
import { runs, specs } from './db/schema'
import { dependenciesOf, setDependencies, unmetDependencies } from './dependencies'
import { toBadge } from './software/runs/runs'

type SpecRow = typeof specs.$inferSelect

interface Dependencies {
  dependsOn: SpecId[]
  waitingOn: SpecId[]
}

const NO_DEPENDENCIES: Dependencies = { dependsOn: [], waitingOn: [] }

export function toSpec(
  row: SpecRow,
  run: RunBadge | null = null,
  dependencies: Dependencies = NO_DEPENDENCIES,
): Spec {
  return {
    id: row.id as SpecId,
    title: row.title,
    body: row.body,
    stage: row.stage as Stage,
    status: row.status as SpecStatus,
    agent: row.agent,
    blueprint: row.blueprint,
    source: row.source,
    tags: JSON.parse(row.tags) as string[],
    priority: row.priority,
    branch: row.branch,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    run,
    ...dependencies,
  }
}

function badge(ledger: Ledger, runId: string | null): RunBadge | null {
  if (!runId) return null
  const row = ledger.db.select().from(runs).where(eq(runs.id, runId)).get()
  return row ? toBadge(row) : null
}

export function findSpec(ledger: Ledger, id: string): Spec | undefined {
  const row = ledger.db.select().from(specs).where(eq(specs.id, id)).get()
  return (
    row &&
    toSpec(row, badge(ledger, row.runId), {
      dependsOn: dependenciesOf(ledger, row.id),
      waitingOn: unmetDependencies(ledger, row.id),
    })
  )
}

export function requireSpec(ledger: Ledger, id: string): Spec {
  const spec = findSpec(ledger, id)
  if (!spec) throw new FactoryError('SpecNotFound', `no spec with id "${id}"`)
  return spec
}

export function listSpecs(ledger: Ledger, filter: ParsedInput<'spec/list'>): SpecCard[] {
  const where: SQL[] = []
  if (filter.stage) where.push(eq(specs.stage, filter.stage))
  if (filter.agent) where.push(eq(specs.agent, filter.agent))
  return ledger.db
    .select()
    .from(specs)
    .where(and(...where))
    .orderBy(desc(specs.priority), desc(specs.createdAt))
    .all()
    .map((row) => toCard(toSpec(row, badge(ledger, row.runId))))
}

export function addSpec(ledger: Ledger, actor: string, input: ParsedInput<'spec/add'>): Spec {
  return ledger.change(actor, (change) => {
    // Looked up inside the transaction: two retries racing each other still make one spec.
    const earlier = input.key ? specWithKey(ledger, input.key) : undefined
    if (earlier) {
      if (earlier.title !== input.title || earlier.body !== input.body) {
        throw new FactoryError(
          'InvalidInput',
          `the key "${input.key}" was already used for ${earlier.id} "${earlier.title}"; give this spec a key of its own`,
        )
      }
      return earlier
    }
    if (input.agent) requireAgent(ledger, input.agent)
    const next = ledger.sqlite
      .prepare('SELECT coalesce(max(rowid), 0) + 1 AS n FROM specs')
      .get() as {
      n: number
    }
    const id = `s_${next.n}` as SpecId
    // Asked for before the spec had an id, so naming this id means a spec that does not exist.
    if (input.dependsOn.includes(id)) {
      throw new FactoryError('SpecNotFound', `no spec with id "${id}" to depend on`)
    }
    const spec: Spec = {
      id,
      title: input.title,
      body: input.body,
      stage: input.stage,
      status: 'new',
      agent: input.agent,
      blueprint: input.blueprint,
      source: input.source,
      tags: input.tags,
      priority: input.priority,
      branch: null,
      createdAt: change.now,
      updatedAt: change.now,
      run: null,
      dependsOn: input.dependsOn,
      waitingOn: [],
    }
    const { run: _run, dependsOn: _d, waitingOn: _w, ...columns } = spec
    ledger.db
      .insert(specs)
      .values({ ...columns, tags: JSON.stringify(spec.tags), key: input.key ?? null })
      .run()
    setDependencies(ledger, id, input.dependsOn)
    const {
      id: _id,
      createdAt: _c,
      updatedAt: _u,
      run: _r,
      branch: _b,
      waitingOn: _wo,
      ...payload
    } = spec
    change.append({ type: 'spec.created', subject: id, payload })
    return requireSpec(ledger, id)
  })
}

function specWithKey(ledger: Ledger, key: string): Spec | undefined {
  const row = ledger.db.select({ id: specs.id }).from(specs).where(eq(specs.key, key)).get()
  return row ? requireSpec(ledger, row.id as SpecId) : undefined
}

export function moveSpec(ledger: Ledger, actor: string, input: ParsedInput<'spec/move'>): Spec {
  return ledger.change(actor, (change) => {
    const spec = requireSpec(ledger, input.id)
    const agent = input.agent === undefined ? spec.agent : input.agent
    if (agent) requireAgent(ledger, agent)
    if (agent === spec.agent && input.stage === spec.stage) return spec
    if (spec.run && isRunActive(spec.run.state)) {
      throw new FactoryError(
        'SpecBusy',
        `${spec.id} stays put while its run ${spec.run.id} is at work; it moves on by itself when the run ends (or cancel it: factory run cancel ${spec.run.id})`,
      )
    }
    // Out of the Software column, a queued spec leaves the queue with the status it had before.
    const status =
      spec.status === 'queued' && input.stage !== 'software'
        ? statusBeforeQueued(ledger, spec.id)
        : spec.status
    ledger.db
      .update(specs)
      .set({ stage: input.stage, agent, status, updatedAt: change.now })
      .where(eq(specs.id, spec.id))
      .run()
    change.append({
      type: 'spec.moved',
      subject: spec.id,
      payload: {
        from: { stage: spec.stage, agent: spec.agent },
        to: { stage: input.stage, agent },
        ...(status !== spec.status ? { status: { from: spec.status, to: status } } : {}),
      },
    })
    return { ...spec, stage: input.stage, agent, status, updatedAt: change.now }
  })
}

const EDITABLE = ['title', 'body', 'tags', 'priority', 'blueprint', 'dependsOn'] as const

export function editSpec(ledger: Ledger, actor: string, input: ParsedInput<'spec/edit'>): Spec {
  return ledger.change(actor, (change) => {
    const spec = requireSpec(ledger, input.id)
    const changed: Partial<Spec> = {}
    const previous: Partial<Spec> = {}
    for (const field of EDITABLE) {
      const value = input[field]
      if (value === undefined || JSON.stringify(value) === JSON.stringify(spec[field])) continue
      Object.assign(changed, { [field]: value })
      Object.assign(previous, { [field]: spec[field] })
    }
    if (Object.keys(changed).length === 0) return spec
    const { tags, dependsOn, waitingOn: _w, ...columns } = changed
    if (dependsOn) setDependencies(ledger, spec.id, dependsOn)
    ledger.db
      .update(specs)
      .set({ ...columns, ...(tags ? { tags: JSON.stringify(tags) } : {}), updatedAt: change.now })
      .where(eq(specs.id, spec.id))
      .run()
    // `previous` makes every edit undoable from the log alone.
    change.append({ type: 'spec.edited', subject: spec.id, payload: { changed, previous } })
    return requireSpec(ledger, spec.id)
  })
}

/**
 * Puts a spec in the Software column's queue: on a lane (that agent only) or Unassigned (the
 * allocator's choice). It starts when its dependencies have shipped and a lane has room.
 */
export function queueSpec(ledger: Ledger, actor: string, input: ParsedInput<'spec/queue'>): Spec {
  return ledger.change(actor, (change) => {
    const spec = requireSpec(ledger, input.id)
    if (input.agent) requireAgent(ledger, input.agent)
    if (spec.run && isRunActive(spec.run.state)) {
      throw new FactoryError(
        'SpecBusy',
        `${spec.id} is running as ${spec.run.id}; it can be queued again once that run ends`,
      )
    }
    if (spec.stage === 'software' && spec.agent === input.agent && spec.status === 'queued') {
      return spec
    }
    markQueued(ledger, change, spec, input.agent, {
      ...(spec.waitingOn.length ? { waitingOn: spec.waitingOn } : {}),
    })
    return requireSpec(ledger, spec.id)
  })
}

/** Into the Software column's queue (the read model and its `spec.queued` event), inside `change`. */
export function markQueued(
  ledger: Ledger,
  change: Change,
  spec: Pick<Spec, 'id' | 'stage' | 'agent' | 'status'>,
  agent: string | null,
  details: Record<string, unknown> = {},
): void {
  ledger.db
    .update(specs)
    .set({ stage: 'software', agent, status: 'queued', updatedAt: change.now })
    .where(eq(specs.id, spec.id))
    .run()
  change.append({
    type: 'spec.queued',
    subject: spec.id,
    payload: {
      from: { stage: spec.stage, agent: spec.agent, status: spec.status },
      agent,
      ...details,
    },
  })
}

/**
 * Takes a spec out of the queue (undo of a queueing), back to `stage`/`agent` with the status it
 * had before it was queued. Refused once the allocator has started it.
 */
export function unqueueSpec(
  ledger: Ledger,
  actor: string,
  input: ParsedInput<'spec/unqueue'>,
): Spec {
  return ledger.change(actor, (change) => {
    const spec = requireSpec(ledger, input.id)
    if (input.agent) requireAgent(ledger, input.agent)
    // Queued with a run at work means written to a remote agent's queue: that is a start too.
    if (spec.status !== 'queued' || (spec.run && isRunActive(spec.run.state))) {
      const started = spec.run && isRunActive(spec.run.state) ? ` as ${spec.run.id}` : ''
      throw new FactoryError(
        'SpecBusy',
        `${spec.id} is no longer queued: it has started${started}; cancel the run instead`,
      )
    }
    const status = statusBeforeQueued(ledger, spec.id)
    ledger.db
      .update(specs)
      .set({ stage: input.stage, agent: input.agent, status, updatedAt: change.now })
      .where(eq(specs.id, spec.id))
      .run()
    change.append({
      type: 'spec.unqueued',
      subject: spec.id,
      payload: {
        from: { stage: spec.stage, agent: spec.agent },
        to: { stage: input.stage, agent: input.agent, status },
      },
    })
    return requireSpec(ledger, spec.id)
  })
}

/** The status a queued spec had before it was last queued (new, failed, review …). */
function statusBeforeQueued(ledger: Ledger, specId: string): SpecStatus {
  const queued = ledger.sqlite
    .prepare(
      `SELECT json_extract(payload, '$.from.status') AS status FROM events
       WHERE subject = ? AND type = 'spec.queued' ORDER BY seq DESC LIMIT 1`,
    )
    .get(specId) as { status: string | null } | undefined
  const status = queued?.status
  return status && status !== 'queued' && status !== 'running' ? (status as SpecStatus) : 'new'
}
