// Test fixtures for the shared domain types, used by tests in every room (engine, renderer).
import { toCard, type Agent, type Spec, type SpecCard, type SpecId } from './domain'
import type { AgentUsage } from './quotas'
import type { RunBadge, RunId, RunState } from './runs'

/** Spec number `n` with plausible defaults; `fields` override any of them. */
export function makeSpec(n: number, fields: Partial<Spec> = {}): Spec {
  return {
    id: `s_${n}` as SpecId,
    title: `Spec ${n}`,
    body: '',
    blueprint: null,
    stage: 'idea',
    status: 'new',
    agent: null,
    source: 'manual',
    tags: [],
    priority: 0,
    branch: null,
    dependsOn: [],
    dependents: [],
    waitingOn: [],
    createdAt: n,
    updatedAt: n,
    run: null,
    ...fields,
  }
}

export function makeCard(n: number, fields: Partial<SpecCard> = {}): SpecCard {
  return toCard(makeSpec(n, fields))
}

export function makeAgent(name: string, fields: Partial<Agent> = {}): Agent {
  return {
    name,
    runner: 'claude',
    command: null,
    workspace: null,
    bin: null,
    timeoutMs: null,
    setup: null,
    maxConcurrent: 1,
    enabled: true,
    plan: null,
    quotas: [],
    pausedUntil: null,
    pauseReason: null,
    quotaStrikes: 0,
    queue: null,
    usageSources: {},
    mergeWhenShipped: false,
    createdAt: 1,
    ...fields,
  }
}

/** A lane's capacity now: free, no windows, nothing at work; `fields` override any of it. */
export function makeUsage(agent: string, fields: Partial<AgentUsage> = {}): AgentUsage {
  return {
    agent,
    plan: null,
    enabled: true,
    running: 0,
    waiting: 0,
    maxConcurrent: 1,
    windows: [],
    pausedUntil: null,
    pausedIndefinitely: false,
    pauseReason: null,
    probing: false,
    ...fields,
  }
}

/** The run a card shows, in `state`, with nothing else known about it. */
export function makeRunBadge(state: RunState, fields: Partial<RunBadge> = {}): RunBadge {
  return {
    id: 'r_1' as RunId,
    state,
    stage: null,
    placement: null,
    failureClass: null,
    tail: null,
    artifact: null,
    branchState: null,
    ...fields,
  }
}
