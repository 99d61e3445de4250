// The product's nouns as plain types and constants, shared by the engine, every host and the UI.
// Runs anywhere: no Node, no DOM, no Electron.

import type { QuotaWindow, UsageSources } from './quotas'
import { isRunActive, type RunBadge } from './runs'

export const STAGES = ['idea', 'software', 'marketing'] as const
export type Stage = (typeof STAGES)[number]

export const STAGE_LABELS: Record<Stage, string> = {
  idea: 'Idea',
  software: 'Software',
  marketing: 'Marketing',
}

// A spec's progress inside its stage; later factories (dispatch, runs, drafts) move it along.
export const SPEC_STATUSES = [
  'new',
  'ready',
  'queued',
  'running',
  'review',
  'shipped',
  'failed',
  'done',
] as const
export type SpecStatus = (typeof SPEC_STATUSES)[number]

export const RUNNER_PRESETS = ['claude', 'codex', 'gptme', 'command'] as const
export type RunnerPreset = (typeof RUNNER_PRESETS)[number]

export type SpecId = `s_${number}`

/** What a card on the board needs; the body stays out so a 10,000-card board loads fast. */
export interface SpecCard {
  id: SpecId
  title: string
  stage: Stage
  status: SpecStatus
  agent: string | null
  source: string
  tags: string[]
  priority: number
  createdAt: number
  updatedAt: number
  /** Its latest run, if any. */
  run: RunBadge | null
  /** For a queued spec: the specs it waits for that have not shipped yet. */
  waitingOn: SpecId[]
}

export interface Spec extends SpecCard {
  body: string
  blueprint: string | null
  /** The git branch its runs work on (factory/<slug>), once it has run in a repository. */
  branch: string | null
  /** Specs that must ship before this one is ready (chaining); `waitingOn`: those not shipped. */
  dependsOn: SpecId[]
  /** The other side: specs that name this one in their `dependsOn`. */
  dependents: SpecId[]
}

/** Where a card sits on the board: a column and a lane (an agent's name, or null: Unassigned). */
export type Placement = Pick<SpecCard, 'stage' | 'agent'>

export function toCard(spec: Spec): SpecCard {
  const {
    body: _body,
    blueprint: _blueprint,
    branch: _branch,
    dependsOn: _dependsOn,
    dependents: _dependents,
    ...card
  } = spec
  return card
}

export interface Agent {
  name: string
  runner: RunnerPreset
  /** For the `command` runner: argv with {specFile}, {runId}, {outputDir} placeholders. */
  command: string[] | null
  /** Where its runs work: a git repository gets a worktree per spec; otherwise a fresh folder. */
  workspace: string | null
  /** Full path of its CLI when PATH does not have it. */
  bin: string | null
  timeoutMs: number | null
  /** Run in each new worktree before the agent starts (argv), e.g. ["npm", "ci"]. */
  setup: string[] | null
  maxConcurrent: number
  enabled: boolean
  /** The subscription's plan label ("Claude Max 20x") and its rolling quota windows. */
  plan: string | null
  quotas: QuotaWindow[]
  /** Held until then (epoch ms), or until resumed when `pauseReason` is set and this is null. */
  pausedUntil: number | null
  pauseReason: string | null
  /** Quota holds in a row since a run last got through; while above 0 it takes one run at a time. */
  quotaStrikes: number
  /** A remote agent: runs are written to this queue directory (docs/queue.md), not spawned. */
  queue: string | null
  usageSources: UsageSources
  /** A trusted lane: when one of its runs ships, the engine merges its branch by itself. */
  mergeWhenShipped: boolean
  createdAt: number
}

/** Factory-wide settings (`factory settings`). */
export interface FactorySettings {
  /** The allocator dispatches queued specs by itself while the app or `factory serve` runs. */
  autoDispatch: boolean
  /** Runs at once across every lane, on top of each agent's own cap; null: no global cap. */
  maxConcurrentRuns: number | null
}

export const DEFAULT_SETTINGS: FactorySettings = { autoDispatch: true, maxConcurrentRuns: null }

/** Whether a lane is held at `now`: paused until resumed, or until a time still to come. */
export function isHeld(agent: Pick<Agent, 'pauseReason' | 'pausedUntil'>, now: number): boolean {
  return agent.pauseReason !== null && (agent.pausedUntil === null || agent.pausedUntil > now)
}

/**
 * Pinned: queued in a lane's Software cell by a person, waiting for that lane only (no run at work
 * yet). Unpinned specs wait in Unassigned, where the allocator gives them to whichever lane is free.
 */
export function isPinnedTo(
  spec: Pick<SpecCard, 'stage' | 'status' | 'agent' | 'run'>,
  agent: string,
): boolean {
  return (
    spec.stage === 'software' &&
    spec.status === 'queued' &&
    spec.agent === agent &&
    !(spec.run && isRunActive(spec.run.state))
  )
}

export interface Board {
  agents: Agent[]
  specs: SpecCard[]
  /** The ledger's newest event when this board was read; pushed events after it are news. */
  seq: number
}

export interface LedgerEvent {
  seq: number
  ts: number
  type: string
  subject: string
  actor: string
  payload: Record<string, unknown>
}

export const SPEC_ID_PATTERN = /^s_[1-9][0-9]*$/
export const AGENT_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/
