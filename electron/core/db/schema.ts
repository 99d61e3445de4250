// The ledger's tables. `events` is the append-only truth; the others are read models kept in step
// with it inside the same transaction, so the board is one indexed query, never a replay.
import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'

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
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at')
      .notNull()
      .default(sql`0`),
  },
  (t) => [index('specs_board_idx').on(t.stage, t.agent, t.priority, t.createdAt)],
)

/** Reactors' persisted positions in the event log, so a crash resumes instead of repeating. */
export const reactorCursors = sqliteTable('reactor_cursors', {
  reactor: text('reactor').primaryKey(),
  seq: integer('seq').notNull(),
  updatedAt: integer('updated_at').notNull(),
})
