// The API contract: every operation any host offers (desktop IPC, HTTP, CLI) is declared here once,
// with the zod schema its input must pass and the type of its result. Hosts loop over this map.
import { z } from 'zod'
import { hasControlCharacters, illFormedAt } from './text'
import {
  AGENT_NAME_PATTERN,
  RUNNER_PRESETS,
  SPEC_ID_PATTERN,
  STAGES,
  type Agent,
  type Board,
  type FactorySettings,
  type LedgerEvent,
  type Spec,
  type SpecCard,
} from './domain'
import type { AllocationRound } from './allocation'
import {
  SATURATION_BUCKETS,
  SATURATION_MAX_DAYS,
  type Saturation,
  type SaturationBucket,
} from './saturation'
import { MAX_QUOTA_WINDOWS, parseQuota, type AgentUsage, type UsageSourceSync } from './quotas'
import {
  RUN_ID_PATTERN,
  type LogChunk,
  type PendingWork,
  type Run,
  type RunDiff,
  type RunId,
  type TranscriptPage,
} from './runs'

const MAX_TITLE = 200
const MAX_BODY = 200_000

export const specIdSchema = z
  .string()
  .regex(SPEC_ID_PATTERN, 'a spec id looks like "s_12"')
  .transform((id) => id as Spec['id'])
export const agentNameSchema = z
  .string()
  .regex(
    AGENT_NAME_PATTERN,
    'an agent name is 1–32 lowercase letters, digits, "-" or "_", starting with a letter',
  )
export const stageSchema = z.enum(STAGES)
const titleSchema = z
  .string()
  .trim()
  .min(1, 'a title is required')
  .max(MAX_TITLE, `a title is at most ${MAX_TITLE} characters`)
  .refine((t) => !hasControlCharacters(t), 'a title cannot contain control characters')
const bodySchema = z
  .string()
  .max(MAX_BODY, `a body is at most ${MAX_BODY} characters`)
  .refine(
    (t) => !hasControlCharacters(t, true),
    'a body cannot contain control characters (tabs and line breaks are fine)',
  )
const tagsSchema = z
  .array(
    z
      .string()
      .trim()
      .min(1)
      .max(40)
      .refine((t) => !hasControlCharacters(t), 'a tag cannot contain control characters'),
  )
  .max(20)
  .transform((tags) => [...new Set(tags)])
const prioritySchema = z.number().int().min(-1000).max(1000)
const argvSchema = z
  .array(z.string().min(1, 'an argument cannot be empty').max(4000))
  .min(1, 'a command needs at least a program')
  .max(200)
const pathSchema = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => !p.includes('\0'), 'a path cannot contain NUL')
const DAY_MS = 86_400_000
const timeoutSchema = z
  .number()
  .int()
  .min(1000, 'a timeout is at least 1s')
  .max(7 * DAY_MS, 'a timeout is at most 7 days')
/** "5h:tokens:2000000" → a QuotaWindow; what cannot be read is a readable error. */
const quotaSchema = z.string().transform((text, context) => {
  const parsed = parseQuota(text)
  if (typeof parsed === 'string') {
    context.addIssue({ code: 'custom', message: parsed })
    return z.NEVER
  }
  return parsed
})
const baseUrlSchema = z
  .string()
  .max(2000)
  .refine((text) => /^https?:\/\/[^\s]+$/.test(text), 'a base URL starts with http:// or https://')
const usageSourcesSchema = z.strictObject({
  claudeLogs: z.strictObject({ enabled: z.boolean(), dir: pathSchema.nullable() }).optional(),
  usageReport: z
    .strictObject({
      enabled: z.boolean(),
      baseUrl: baseUrlSchema.nullable(),
      credentialsFile: pathSchema.nullable(),
    })
    .optional(),
})
/** The agent settings that `agent/add` takes and `agent/edit` changes. */
const agentSettings = {
  command: argvSchema.nullable(),
  workspace: pathSchema.nullable(),
  bin: pathSchema.nullable(),
  timeoutMs: timeoutSchema.nullable(),
  setup: argvSchema.nullable(),
  maxConcurrent: z.number().int().min(1, 'at least 1 run at once').max(100),
  enabled: z.boolean(),
  plan: z.string().trim().min(1).max(80).nullable(),
  quotas: z
    .array(quotaSchema)
    .max(MAX_QUOTA_WINDOWS, `at most ${MAX_QUOTA_WINDOWS} quota windows`)
    .refine(
      (windows) => new Set(windows.map((w) => `${w.durationMs}:${w.unit}`)).size === windows.length,
      'two quota windows of the same length count the same unit; keep one',
    ),
  queue: pathSchema.nullable(),
  usageSources: usageSourcesSchema,
  mergeWhenShipped: z.boolean(),
}
const dependsOnSchema = z
  .array(specIdSchema)
  .max(50, 'at most 50 dependencies')
  .transform((ids) => [...new Set(ids)])
export const runIdSchema = z
  .string()
  .regex(RUN_ID_PATTERN, 'a run id looks like "r_3"')
  .transform((id) => id as RunId)

/** Phantom marker carrying an operation's result type. */
const returns = <T>() => undefined as unknown as T

export const operations = {
  'agent/add': {
    input: z
      .strictObject({
        name: agentNameSchema,
        runner: z.enum(RUNNER_PRESETS).default('claude'),
        command: agentSettings.command.default(null),
        workspace: agentSettings.workspace.default(null),
        bin: agentSettings.bin.default(null),
        timeoutMs: agentSettings.timeoutMs.default(null),
        setup: agentSettings.setup.default(null),
        maxConcurrent: agentSettings.maxConcurrent.default(1),
        enabled: agentSettings.enabled.default(true),
        plan: agentSettings.plan.default(null),
        quotas: agentSettings.quotas.default([]),
        queue: agentSettings.queue.default(null),
        usageSources: agentSettings.usageSources.default({}),
        mergeWhenShipped: agentSettings.mergeWhenShipped.default(false),
      })
      .refine((a) => a.runner !== 'command' || a.command !== null, {
        message: 'a command agent needs its command (argv with {specFile}, {runId}, {outputDir})',
        path: ['command'],
      }),
    output: returns<Agent>(),
  },
  'agent/edit': {
    input: z
      .strictObject({
        name: agentNameSchema,
        command: agentSettings.command.optional(),
        workspace: agentSettings.workspace.optional(),
        bin: agentSettings.bin.optional(),
        timeoutMs: agentSettings.timeoutMs.optional(),
        setup: agentSettings.setup.optional(),
        maxConcurrent: agentSettings.maxConcurrent.optional(),
        enabled: agentSettings.enabled.optional(),
        plan: agentSettings.plan.optional(),
        quotas: agentSettings.quotas.optional(),
        queue: agentSettings.queue.optional(),
        usageSources: agentSettings.usageSources.optional(),
        mergeWhenShipped: agentSettings.mergeWhenShipped.optional(),
      })
      .refine(
        (edit) => Object.values(edit).filter((v) => v !== undefined).length > 1,
        'nothing to change',
      ),
    output: returns<Agent>(),
  },
  'agent/list': { input: z.strictObject({}), output: returns<Agent[]>() },
  'agent/pause': {
    input: z.strictObject({
      name: agentNameSchema,
      /** Epoch ms it resumes by itself; omitted: until resumed. */
      until: z.number().int().min(0).optional(),
      reason: z.string().trim().min(1).max(200).default('paused by hand'),
    }),
    output: returns<Agent>(),
  },
  'agent/resume': { input: z.strictObject({ name: agentNameSchema }), output: returns<Agent>() },
  'usage/get': {
    input: z.strictObject({ agent: agentNameSchema.optional() }),
    output: returns<AgentUsage[]>(),
  },
  /**
   * Reads the agents' switched-on usage sources now (Claude Code's logs, the subscription's
   * report). Asynchronous: the report is an HTTP request, so hosts await its envelope.
   */
  'usage/sync': {
    input: z.strictObject({ agent: agentNameSchema.optional() }),
    output: returns<Promise<UsageSourceSync[]>>(),
  },
  /** Utilization per agent over time, the portfolio, and the last 7 days' idle quota. */
  'usage/saturation': {
    input: z.strictObject({
      days: z.number().int().min(1).max(SATURATION_MAX_DAYS).default(7),
      bucket: z.enum(Object.keys(SATURATION_BUCKETS) as [SaturationBucket]).default('hour'),
    }),
    output: returns<Saturation>(),
  },
  'agent/remove': {
    input: z.strictObject({ name: agentNameSchema }),
    output: returns<{ name: string; unassigned: Spec['id'][] }>(),
  },
  'spec/add': {
    input: z.strictObject({
      title: titleSchema,
      body: bodySchema.default(''),
      stage: stageSchema.default('idea'),
      agent: agentNameSchema.nullable().default(null),
      source: z
        .string()
        .trim()
        .min(1)
        .max(40)
        .refine((t) => !hasControlCharacters(t), 'a source cannot contain control characters')
        .default('manual'),
      tags: tagsSchema.default([]),
      priority: prioritySchema.default(0),
      blueprint: z.string().trim().min(1).max(80).nullable().default(null),
      dependsOn: dependsOnSchema.default([]),
      /**
       * An idempotency key: an add retried with the same key (after a crash, a timeout) answers
       * the spec the first one made instead of making another.
       */
      key: z
        .string()
        .trim()
        .min(1)
        .max(200)
        .refine((t) => !hasControlCharacters(t), 'a key cannot contain control characters')
        .optional(),
    }),
    output: returns<Spec>(),
  },
  'spec/queue': {
    input: z.strictObject({
      id: specIdSchema,
      /** null: Unassigned, for the allocator to place; a name: that lane only. */
      agent: agentNameSchema.nullable().default(null),
    }),
    output: returns<Spec>(),
  },
  'spec/unqueue': {
    input: z.strictObject({
      id: specIdSchema,
      /** Where it goes back to (undo puts it where it was before it was queued). */
      stage: stageSchema,
      agent: agentNameSchema.nullable(),
    }),
    output: returns<Spec>(),
  },
  'spec/list': {
    input: z.strictObject({ stage: stageSchema.optional(), agent: agentNameSchema.optional() }),
    output: returns<SpecCard[]>(),
  },
  'spec/get': { input: z.strictObject({ id: specIdSchema }), output: returns<Spec>() },
  'spec/move': {
    input: z.strictObject({
      id: specIdSchema,
      stage: stageSchema,
      /** Omitted: keep the spec's agent; null: back to Unassigned. */
      agent: agentNameSchema.nullable().optional(),
    }),
    output: returns<Spec>(),
  },
  'spec/edit': {
    input: z
      .strictObject({
        id: specIdSchema,
        title: titleSchema.optional(),
        body: bodySchema.optional(),
        tags: tagsSchema.optional(),
        priority: prioritySchema.optional(),
        blueprint: z.string().trim().min(1).max(80).nullable().optional(),
        dependsOn: dependsOnSchema.optional(),
      })
      .refine(
        (edit) => Object.values(edit).filter((v) => v !== undefined).length > 1,
        'nothing to change',
      ),
    output: returns<Spec>(),
  },
  'board/get': { input: z.strictObject({}), output: returns<Board>() },
  'run/dispatch': {
    input: z.strictObject({ spec: specIdSchema, agent: agentNameSchema }),
    output: returns<Run>(),
  },
  /** A run for a remote agent: the spec written to its queue directory (docs/queue.md). */
  'queue/enqueue': {
    input: z.strictObject({ spec: specIdSchema, target: agentNameSchema }),
    output: returns<Run>(),
  },
  'run/list': {
    input: z.strictObject({
      spec: specIdSchema.optional(),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    output: returns<Run[]>(),
  },
  'run/get': { input: z.strictObject({ id: runIdSchema }), output: returns<Run>() },
  'run/transcript': {
    input: z.strictObject({
      id: runIdSchema,
      from: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    output: returns<TranscriptPage>(),
  },
  'run/log': {
    input: z.strictObject({
      id: runIdSchema,
      /** Negative: from the end (the tail). */
      offset: z.number().int().default(-65_536),
      limit: z.number().int().min(1).max(1_048_576).default(65_536),
    }),
    output: returns<LogChunk>(),
  },
  'run/cancel': { input: z.strictObject({ id: runIdSchema }), output: returns<Run>() },
  'run/retry': { input: z.strictObject({ id: runIdSchema }), output: returns<Run>() },
  'run/request-changes': {
    input: z.strictObject({
      id: runIdSchema,
      comments: z.string().trim().min(1, 'say what to change').max(50_000),
    }),
    output: returns<Run>(),
  },
  'run/diff': { input: z.strictObject({ id: runIdSchema }), output: returns<RunDiff>() },
  'run/pending': { input: z.strictObject({ id: runIdSchema }), output: returns<PendingWork>() },
  'run/merge': {
    input: z.strictObject({ id: runIdSchema }),
    output: returns<{ merged: true; commit: string }>(),
  },
  'run/discard': {
    input: z.strictObject({ id: runIdSchema, confirmLoss: z.boolean().default(false) }),
    output: returns<{ removed: true; lost: PendingWork }>(),
  },
  'settings/get': { input: z.strictObject({}), output: returns<FactorySettings>() },
  'settings/set': {
    input: z
      .strictObject({
        autoDispatch: z.boolean().optional(),
        maxConcurrentRuns: z.number().int().min(1).max(1000).nullable().optional(),
      })
      .refine((edit) => Object.values(edit).some((v) => v !== undefined), 'nothing to change'),
    output: returns<FactorySettings>(),
  },
  'allocator/round': {
    input: z.strictObject({
      /** Plan only: say what would be dispatched, start nothing, write nothing. */
      dryRun: z.boolean().default(false),
    }),
    output: returns<AllocationRound>(),
  },
  'log/list': {
    input: z.strictObject({
      after: z.number().int().min(0).optional(),
      limit: z.number().int().min(1).max(10_000).default(200),
    }),
    output: returns<LedgerEvent[]>(),
  },
} as const

export type Operations = typeof operations
export type OperationName = keyof Operations
export type Input<Op extends OperationName> = z.input<Operations[Op]['input']>
export type ParsedInput<Op extends OperationName> = z.output<Operations[Op]['input']>
export type Output<Op extends OperationName> = Operations[Op]['output']
/** Operations whose result comes later (a network request): hosts await what `invoke` answers. */
export type AsyncOperationName = {
  [Op in OperationName]: Output<Op> extends Promise<unknown> ? Op : never
}[OperationName]
export type SyncOperationName = Exclude<OperationName, AsyncOperationName>

export const OPERATION_NAMES = Object.keys(operations) as OperationName[]

export function isOperationName(name: string): name is OperationName {
  return Object.prototype.hasOwnProperty.call(operations, name)
}

/**
 * What hosts push to every connected UI: each committed ledger event, in order; and, when a push
 * channel (re)opens, the newest seq at that moment, so a client can tell whether it missed anything.
 */
export type PushedEvent =
  { kind: 'ledger'; event: LedgerEvent } | { kind: 'connected'; seq: number } | RunOutputEvent

/** A running run's transcript or log grew (batched, a few times a second at most). */
export interface RunOutputEvent {
  kind: 'run-output'
  runId: RunId
  /** Transcript entries so far. */
  entries: number
  /** Raw log bytes so far. */
  logBytes: number
}

/** The one interface the renderer (and any other client) talks to, whatever the host. */
export interface FactoryClient {
  call<Op extends OperationName>(op: Op, input: Input<Op>): Promise<Output<Op>>
  /** Returns an unsubscribe function. */
  subscribe(listener: (event: PushedEvent) => void): () => void
}

/**
 * Validates an operation's input with its schema: the engine does this for every host, and forms
 * do it before sending, so both say the same thing about the same mistake.
 */
export function checkInput<Op extends OperationName>(
  op: Op,
  input: unknown,
): { ok: true; input: ParsedInput<Op> } | { ok: false; problem: string } {
  // Every string of every operation: a lone surrogate would be stored as invalid UTF-8.
  const illFormed = illFormedAt(input)
  if (illFormed) {
    return { ok: false, problem: `${illFormed}: is not well-formed text (a lone surrogate)` }
  }
  const parsed = operations[op].input.safeParse(input)
  return parsed.success
    ? { ok: true, input: parsed.data as ParsedInput<Op> }
    : { ok: false, problem: describeIssues(parsed.error) }
}

/** "title: a title is required; tags.0: …" — one readable line for any zod failure. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) =>
      issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ')
}
