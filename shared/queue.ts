// The queue contract's files (docs/queue.md): a queued spec's frontmatter and a drainer's result.
// Both cross a trust boundary (another user account, a VM, a synced folder), so both are read
// through these schemas, never trusted as they are.
import { z } from 'zod'
import { FAILURE_CLASSES } from './runs'

/** A queue directory's folders, maildir style. */
export const QUEUE_FOLDERS = ['tmp', 'new', 'cur', 'done', 'failed'] as const

/** An item's id names its files (`<id>.md`, `<id>.result.json`, `<id>/`): never a path, no dots. */
export const QUEUE_ITEM_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/
const itemIdSchema = z
  .string()
  .regex(QUEUE_ITEM_ID_PATTERN, 'an item id is letters, digits, _ or -')

/** The frontmatter of a queued spec; the markdown after it is the spec file an agent reads. */
export const queueItemSchema = z.object({
  id: itemIdSchema,
  /** The dashboard's run id, given to the agent as FACTORY_RUN_ID. */
  run: z.string().min(1).max(100),
  spec: z.string().min(1).max(100),
  title: z.string().max(1000),
  agent: z.string().max(100).optional(),
  priority: z.number().int().default(0),
  tags: z.array(z.string().max(100)).max(50).default([]),
  /** ISO 8601, when it was enqueued. */
  created: z.string().max(40),
  /** A follow-up after review: the run whose reviewer's comments close the spec text. */
  followUpOf: z.string().max(100).optional(),
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
