// The ledger's tables. `events` is the append-only truth; the others are read models kept in step
// with it inside the same transaction, so the board is one indexed query, never a replay.
import { sql } from 'drizzle-orm'
import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core'

export const events = sqliteTable(
  'events',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    ts: integer('ts').notNull(),
    type: text('type').notNull(),
    subject: text('subject').notNull(),
    actor: text('actor').notNull(),
    payload: text('payload').notNull().default('{}'),
  },
  (t) => [index('events_subject_idx').on(t.subject, t.seq)],
)

export const agents = sqliteTable('agents', {
  name: text('name').primaryKey(),
  runner: text('runner').notNull(),
  /** For the `command` runner: the argv (JSON array) with {specFile}, {runId}, {outputDir}. */
  command: text('command'),
  /** The folder (usually a git repository) the agent's runs work in. */
  workspace: text('workspace'),
  /** Full path of the agent CLI, when it is not found on PATH. */
  bin: text('bin'),
  timeoutMs: integer('timeout_ms'),
  /** Run once in each new worktree before the agent starts, e.g. `npm ci` (argv, JSON array). */
  setup: text('setup'),
  /** Runs it may have at once. */
  maxConcurrent: integer('max_concurrent').notNull().default(1),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  /** The subscription: a plan label and its rolling quota windows (JSON array of QuotaWindow). */
  plan: text('plan'),
  quotas: text('quotas').notNull().default('[]'),
  /** Held until then (a quota ran out, or the user paused it); null: not paused. */
  pausedUntil: integer('paused_until'),
  pauseReason: text('pause_reason'),
  /** Quota holds in a row without a run getting through: the next hold backs off longer. */
  quotaStrikes: integer('quota_strikes').notNull().default(0),
  /** A remote agent: its queue directory (maildir style, docs/queue.md); runs go there instead. */
  queue: text('queue'),
  /** Optional usage sources (JSON UsageSources): Claude Code's logs, the subscription's report. */
  usageSources: text('usage_sources').notNull().default('{}'),
  /** A trusted lane: a run that ships has its branch merged into its base by the engine. */
  mergeWhenShipped: integer('merge_when_shipped', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
})

export const specs = sqliteTable(
  'specs',
  {
    id: text('id').primaryKey(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    stage: text('stage').notNull(),
    status: text('status').notNull(),
    agent: text('agent').references(() => agents.name, { onDelete: 'set null' }),
    blueprint: text('blueprint'),
    source: text('source').notNull(),
    tags: text('tags').notNull().default('[]'),
    priority: integer('priority').notNull().default(0),
    /** The spec's latest run, for the card (its state, stage and failure). */
    runId: text('run_id'),
    /** The git branch its runs work on, reused by retries and follow-ups. */
    branch: text('branch'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at')
      .notNull()
      .default(sql`0`),
    /** The caller's idempotency key (`spec add --key`): a retried add finds this spec. */
    key: text('key'),
  },
  (t) => [
    uniqueIndex('specs_key_idx').on(t.key),
    index('specs_board_idx').on(t.stage, t.agent, t.priority, t.createdAt),
    // The allocator's queue in serving order, so a round reads only the specs it gets to.
    index('specs_queue_idx')
      .on(sql`${t.priority} DESC`, t.createdAt)
      .where(sql`${t.stage} = 'software' AND ${t.status} = 'queued'`),
  ],
)

/** Reactors' persisted positions in the event log, so a crash resumes instead of repeating. */
export const reactorCursors = sqliteTable('reactor_cursors', {
  reactor: text('reactor').primaryKey(),
  seq: integer('seq').notNull(),
  updatedAt: integer('updated_at').notNull(),
})

/** Token and cost counts (cost in integer micro-dollars), as a run's total and as usage rows. */
const usageColumns = () => ({
  inputTokens: integer('input_tokens').notNull().default(0),
  outputTokens: integer('output_tokens').notNull().default(0),
  cacheReadTokens: integer('cache_read_tokens').notNull().default(0),
  cacheWriteTokens: integer('cache_write_tokens').notNull().default(0),
  costMicros: integer('cost_micros').notNull().default(0),
  turns: integer('turns').notNull().default(0),
})

/** One agent process working on one spec; kept in step by the dispatcher and the run's supervisor. */
export const runs = sqliteTable(
  'runs',
  {
    id: text('id').primaryKey(),
    specId: text('spec_id')
      .notNull()
      .references(() => specs.id),
    agent: text('agent').notNull(),
    runner: text('runner').notNull(),
    state: text('state').notNull(),
    failureClass: text('failure_class'),
    failureMessage: text('failure_message'),
    resetAt: integer('reset_at'),
    exitCode: integer('exit_code'),
    signal: text('signal'),
    /** The spawned argv (JSON array): what was run, exactly. */
    argv: text('argv').notNull(),
    cwd: text('cwd').notNull(),
    workspaceKind: text('workspace_kind').notNull(),
    /** The agent's repository and the run's worktree in it, for review (diff, merge, discard). */
    repo: text('repo'),
    worktree: text('worktree'),
    branch: text('branch'),
    baseRef: text('base_ref'),
    baseCommit: text('base_commit'),
    runDir: text('run_dir').notNull(),
    followUpOf: text('follow_up_of'),
    /** Why the allocator chose this lane ("to bob: 6% of 5h used … · alice paused until 18:00");
     * null: a person chose it. */
    placement: text('placement'),
    /** Setup argv (JSON) to run first, set only when the worktree is new. */
    setup: text('setup'),
    timeoutMs: integer('timeout_ms'),
    stage: text('stage'),
    stageStatus: text('stage_status'),
    supervisorPid: integer('supervisor_pid'),
    childPid: integer('child_pid'),
    /** Who the pids were (boot + start time): a pid reused after a reboot is never signalled. */
    supervisorIdentity: text('supervisor_identity'),
    childIdentity: text('child_identity'),
    /** The process that dispatched the run: until it names a supervisor, the run lives with it. */
    dispatcherPid: integer('dispatcher_pid'),
    dispatcherIdentity: text('dispatcher_identity'),
    ...usageColumns(),
    /** Its branch against its base, checked when it ended and at each merge or discard
     * (shared/branch.ts BranchState): unmerged | empty | merged | discarded; null: not checked. */
    branchState: text('branch_state'),
    branchCommits: integer('branch_commits').notNull().default(0),
    branchUncommitted: integer('branch_uncommitted').notNull().default(0),
    /** Why the last merge of its branch was refused, in a few words ("conflicts in src/x.ts"). */
    mergeRefusal: text('merge_refusal'),
    /** A shipped run's artifact as its card shows it (the full record is in `artifacts`): kept
     * here so the board reads no second table. */
    artifactName: text('artifact_name'),
    artifactVersion: text('artifact_version'),
    artifactUrl: text('artifact_url'),
    logTail: text('log_tail'),
    createdAt: integer('created_at').notNull(),
    startedAt: integer('started_at'),
    endedAt: integer('ended_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('runs_spec_idx').on(t.specId, t.createdAt),
    index('runs_state_idx').on(t.state),
    // A lane's runs quota window counts its runs since a time.
    index('runs_agent_created_idx').on(t.agent, t.createdAt),
  ],
)

/** Usage as it happened, one row per recorded delta: quota windows are sums over time ranges. */
export const usage = sqliteTable(
  'usage',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    runId: text('run_id'),
    agent: text('agent').notNull(),
    ts: integer('ts').notNull(),
    ...usageColumns(),
    source: text('source').notNull().default('run'),
    /** For imported rows: the source's own id, so a re-import counts nothing twice. */
    externalId: text('external_id'),
  },
  (t) => [
    index('usage_agent_ts_idx').on(t.agent, t.ts),
    uniqueIndex('usage_external_idx').on(t.source, t.externalId),
  ],
)

/**
 * Usage summed per agent per 5 minutes, kept by triggers on `usage` (insert, update, delete), so
 * the saturation view reads at most 8,640 rows per agent for 30 days instead of sorting every
 * usage row. Tokens count as quota windows count them: input + output + cache writes.
 */
export const usageByBucket = sqliteTable(
  'usage_buckets',
  {
    agent: text('agent').notNull(),
    /** ts / 300,000: the 5-minute bucket's number since the epoch. */
    bucket: integer('bucket').notNull(),
    tokens: integer('tokens').notNull().default(0),
    costMicros: integer('cost_micros').notNull().default(0),
    turns: integer('turns').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.agent, t.bucket] })],
)

/** A spec waits for these to ship before it is ready (chaining); cycles are refused on write. */
export const specDependencies = sqliteTable(
  'spec_dependencies',
  {
    specId: text('spec_id')
      .notNull()
      .references(() => specs.id),
    dependsOn: text('depends_on')
      .notNull()
      .references(() => specs.id),
  },
  (t) => [
    primaryKey({ columns: [t.specId, t.dependsOn] }),
    index('spec_dependencies_on_idx').on(t.dependsOn),
  ],
)

/** Factory-wide settings (auto-dispatch, the global concurrency cap), as JSON values. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at').notNull(),
})

/** The subscription's own usage report per window (e.g. Anthropic's 5-hour and 7-day figures). */
export const usageReports = sqliteTable(
  'usage_reports',
  {
    agent: text('agent').notNull(),
    /** The report's window name as it says it: "five_hour", "seven_day". */
    window: text('window').notNull(),
    durationMs: integer('duration_ms').notNull(),
    /** 0..1 (may pass 1). */
    utilization: real('utilization').notNull(),
    resetsAt: integer('resets_at'),
    fetchedAt: integer('fetched_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.agent, t.window] })],
)

/** How far an imported log file has been read, so an import reads only what was appended. */
export const importCursors = sqliteTable('import_cursors', {
  path: text('path').primaryKey(),
  size: integer('size').notNull(),
  mtimeMs: integer('mtime_ms').notNull(),
  offset: integer('offset').notNull(),
  updatedAt: integer('updated_at').notNull(),
})

/** What a shipped run produced (artifact.json), screenshots copied into the data folder. */
export const artifacts = sqliteTable('artifacts', {
  runId: text('run_id')
    .primaryKey()
    .references(() => runs.id),
  specId: text('spec_id').notNull(),
  name: text('name').notNull(),
  version: text('version').notNull(),
  url: text('url').notNull(),
  changelog: text('changelog').notNull(),
  screenshots: text('screenshots').notNull().default('[]'),
  createdAt: integer('created_at').notNull(),
})
