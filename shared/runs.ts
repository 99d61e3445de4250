// Runs: one agent process working on one spec. The states, failure classes, usage and transcript
// shapes are shared by the engine (which records them), every host and the UI (which shows them).
import type { BranchState } from './branch'

export const RUN_STATES = [
  'queued',
  'starting',
  'running',
  'shipped',
  'done',
  'failed',
  'lost',
] as const
export type RunState = (typeof RUN_STATES)[number]
/** `queued`: written to a remote agent's queue (docs/queue.md), not claimed yet. */
export const ACTIVE_RUN_STATES: readonly RunState[] = ['queued', 'starting', 'running']

/** Queued, starting or running: no outcome yet. */
export function isRunActive(state: string): boolean {
  return (ACTIVE_RUN_STATES as readonly string[]).includes(state)
}

/** Why a run failed. The class, not a regex in the UI, decides what happens next. */
export const FAILURE_CLASSES = [
  'rate_limited',
  'quota_exhausted',
  'auth_expired',
  'overloaded',
  'bad_output',
  'max_turns',
  'timeout',
  'cancelled',
  'disk_full',
  'crashed',
] as const
export type FailureClass = (typeof FAILURE_CLASSES)[number]

export interface Failure {
  class: FailureClass
  /** One readable line: what the agent or the supervisor said. */
  message: string
  /** When the limit frees up (epoch ms), if the CLI said so (quota_exhausted, rate_limited). */
  resetAt?: number
}

/** Token and cost counts; cost is integer micro-dollars (1 USD = 1,000,000), never a float. */
export interface Usage {
  inputTokens: number
  outputTokens: number
  cacheReadTokens: number
  cacheWriteTokens: number
  costMicros: number
  /** Assistant turns (messages) the agent reported. */
  turns: number
}

export const NO_USAGE: Usage = {
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  costMicros: 0,
  turns: 0,
}

export function addUsage(a: Usage, b: Partial<Usage>): Usage {
  return {
    inputTokens: a.inputTokens + (b.inputTokens ?? 0),
    outputTokens: a.outputTokens + (b.outputTokens ?? 0),
    cacheReadTokens: a.cacheReadTokens + (b.cacheReadTokens ?? 0),
    cacheWriteTokens: a.cacheWriteTokens + (b.cacheWriteTokens ?? 0),
    costMicros: a.costMicros + (b.costMicros ?? 0),
    turns: a.turns + (b.turns ?? 0),
  }
}

/** One entry of a run's structured transcript (one JSON line in transcript.jsonl). */
export type TranscriptEntry =
  /** `agent`: the agent CLI's own line ('Claude Code'), else the factory's (the supervisor's). */
  | { kind: 'system'; text: string; agent?: string }
  | { kind: 'text'; text: string }
  | { kind: 'thinking'; text: string }
  | { kind: 'tool_call'; id?: string; name: string; input: string }
  | { kind: 'tool_result'; id?: string; output: string; isError?: boolean }
  | { kind: 'result'; text: string; isError?: boolean }
  | { kind: 'stage'; stage: string; status: string; message?: string }
  | { kind: 'raw'; stream: 'stdout' | 'stderr'; text: string }

export type RunId = `r_${number}`
export const RUN_ID_PATTERN = /^r_[1-9][0-9]*$/

export interface Artifact {
  runId: RunId
  specId: string
  name: string
  version: string
  url: string
  /** Markdown. */
  changelog: string
  /** Copies inside the data folder (never the agent's own paths). */
  screenshots: string[]
  createdAt: number
}

export interface Run {
  id: RunId
  specId: string
  specTitle: string
  agent: string
  runner: string
  state: RunState
  failure: Failure | null
  exitCode: number | null
  signal: string | null
  /** Exactly what was spawned. */
  argv: string[]
  cwd: string
  /** A git worktree, a fresh folder, or (for a remote agent) its queue directory. */
  workspaceKind: 'worktree' | 'folder' | 'queue'
  branch: string | null
  baseRef: string | null
  followUpOf: RunId | null
  /** Why the allocator chose its lane, against the others; null: a person chose it. */
  placement: string | null
  /** The stage the agent last reported (progress.jsonl), and its status. */
  stage: string | null
  stageStatus: string | null
  usage: Usage
  /** The last lines of the log, kept for a failed run's card and drawer. */
  logTail: string | null
  timeoutMs: number | null
  createdAt: number
  startedAt: number | null
  endedAt: number | null
  artifact: Artifact | null
  /** Every stage the agent reported, in order (progress.jsonl). */
  timeline: StageEvent[]
  /** Its branch was merged or discarded (by this run's review or a sibling's on the same branch). */
  review: RunReview | null
  /** Its branch against its base, as last checked; null: not a worktree, or not checked yet. */
  branchState: BranchState | null
  /** On a follow-up: what the reviewer asked for. */
  comments: string | null
}

export interface RunReview {
  action: 'merged' | 'discarded'
  runId: RunId
  at: number
  /** The merge commit. */
  commit?: string
}

export interface StageEvent {
  stage: string
  status: string
  message?: string
  at: number
}

/** What a card shows of its spec's latest run. */
export interface RunBadge {
  id: RunId
  state: RunState
  stage: string | null
  /** Why the allocator chose its lane; null: a person chose it. */
  placement: string | null
  failureClass: FailureClass | null
  /** The log's last line, for a failed run. */
  tail: string | null
  /** What it shipped, for a shipped card (the rest is in the run view). */
  artifact: Pick<Artifact, 'name' | 'version' | 'url'> | null
  /** Its branch against its base, as last checked; null: not a worktree, or not checked yet. */
  branchState: BranchState | null
}

/** A page of a run's transcript: entries [from, from + entries.length) of `total`. */
export interface TranscriptPage {
  runId: RunId
  from: number
  total: number
  entries: TranscriptEntry[]
  state: RunState
}

/** A window of a run's raw log, in bytes. */
export interface LogChunk {
  runId: RunId
  offset: number
  size: number
  text: string
}

export function lastLine(text: string | null): string | null {
  if (!text) return null
  const lines = text.trimEnd().split('\n')
  return lines.at(-1)?.trim() || null
}

/** What a run changed against its base: committed, uncommitted and untracked. */
export interface RunDiff {
  runId: RunId
  branch: string | null
  baseRef: string | null
  files: {
    path: string
    status: 'added' | 'modified' | 'deleted' | 'renamed'
    additions: number
    deletions: number
  }[]
  patch: string
  truncated: boolean
}

/** What discarding a run's worktree would lose. */
export interface PendingWork {
  uncommitted: string[]
  unmergedCommits: { sha: string; subject: string }[]
}
