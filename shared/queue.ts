// The queue contract's files (docs/queue.md): a queued spec's frontmatter and a drainer's result.
// Both cross a trust boundary (another user account, a VM, a synced folder), so both are read
// through these schemas, never trusted as they are.
import { z } from 'zod'
import { AGENT_NAME_PATTERN, SPEC_ID_PATTERN } from './domain'
import { FAILURE_CLASSES, RUN_ID_PATTERN } from './runs'

/** A queue directory's folders, maildir style. */
export const QUEUE_FOLDERS = ['tmp', 'new', 'cur', 'done', 'failed'] as const

/** An item's id names its files (`<id>.md`, `<id>.result.json`, `<id>/`): never a path, no dots. */
export const QUEUE_ITEM_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/
const itemIdSchema = z
  .string()
  .regex(QUEUE_ITEM_ID_PATTERN, 'an item id is letters, digits, _ or -')

// Every field is checked as any other input is: a run id reaches {runId} and FACTORY_RUN_ID, so
// `../../x` must never pass for one; text must be well-formed (no lone surrogates). A title keeps
// whatever else it holds: it is data, escaped when written (specFile.ts) and when shown.
const runIdSchema = z.string().regex(RUN_ID_PATTERN, 'a run id looks like "r_3"')
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((t) => t.isWellFormed(), 'it is not well-formed text (a lone surrogate)')

/** The frontmatter of a queued spec; the markdown after it is the spec file an agent reads. */
export const queueItemSchema = z.object({
  id: itemIdSchema,
  /** The dashboard's run id, given to the agent as FACTORY_RUN_ID. */
  run: runIdSchema,
  spec: z.string().regex(SPEC_ID_PATTERN, 'a spec id looks like "s_12"'),
  title: text(1000),
  agent: z.string().regex(AGENT_NAME_PATTERN, 'not an agent name').optional(),
  priority: z.number().int().min(-1000).max(1000).default(0),
  tags: z.array(text(100)).max(50).default([]),
  /** ISO 8601, when it was enqueued. */
  created: text(40),
  /** A follow-up after review: the run whose reviewer's comments close the spec text. */
  followUpOf: runIdSchema.optional(),
})
export type QueueItem = z.input<typeof queueItemSchema>

const count = z.number().int().min(0).max(1e15)
const usageSchema = z.object({
  inputTokens: count.default(0),
  outputTokens: count.default(0),
  cacheReadTokens: count.default(0),
  cacheWriteTokens: count.default(0),
  costMicros: count.default(0),
  turns: count.default(0),
})

export const QUEUE_OUTCOMES = ['shipped', 'done', 'failed'] as const

/** `<id>.result.json`. Unknown keys are ignored, so a newer drainer's extras do no harm. */
export const queueResultSchema = z.object({
  id: itemIdSchema,
  // Read back for people only (the item id names the run); a drainer that could not read its
  // queue file has no run id to give.
  run: z.string().min(1).max(100),
  outcome: z.enum(QUEUE_OUTCOMES),
  exitCode: z.number().int().nullable().default(null),
  signal: z.string().max(20).nullable().default(null),
  /** When failed; missing, the run fails as `crashed`. */
  failure: z
    .object({
      class: z.enum(FAILURE_CLASSES),
      message: z.string().max(4000),
      resetAt: z.number().int().min(0).optional(),
    })
    .optional(),
  startedAt: z.string().max(40).optional(),
  endedAt: z.string().max(40).optional(),
  usage: usageSchema.optional(),
  /** A copy of `<id>/artifact.json`, for people: the dashboard reads the folder. */
  artifact: z.unknown().optional(),
  /** The last lines of the agent's output, for a failed run's card. */
  logTail: z.string().max(20_000).optional(),
  /** Who ran it (host:pid), for people. */
  drainer: z.string().max(200).optional(),
})
export type QueueResult = z.input<typeof queueResultSchema>
export type ParsedQueueResult = z.output<typeof queueResultSchema>
