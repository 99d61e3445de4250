// The board's data in one indexed read: every card (no bodies) and every lane.
import type Database from 'better-sqlite3'
import type { Board, SpecCard, SpecId, SpecStatus, Stage } from '../../shared/domain'
import { listAgents } from './agents'
import type { Ledger } from './db/ledger'
import { toBadge } from './software/runs'

interface CardRow {
  id: string
  title: string
  stage: string
  status: string
  agent: string | null
  source: string
  tags: string
  priority: number
  created_at: number
  updated_at: number
  run_id: string | null
  run_state: string | null
  run_stage: string | null
  run_failure: string | null
  run_tail: string | null
}

const statements = new WeakMap<Ledger, Database.Statement>()

function cardsStatement(ledger: Ledger): Database.Statement {
  let statement = statements.get(ledger)
  if (!statement) {
    statement = ledger.sqlite.prepare(
      `SELECT s.id, s.title, s.stage, s.status, s.agent, s.source, s.tags, s.priority,
              s.created_at, s.updated_at, s.run_id, r.state AS run_state, r.stage AS run_stage,
              r.failure_class AS run_failure, r.log_tail AS run_tail
       FROM specs s LEFT JOIN runs r ON r.id = s.run_id
       ORDER BY s.priority DESC, s.created_at DESC`,
    )
    statements.set(ledger, statement)
  }
  return statement
}

export function readBoard(ledger: Ledger): Board {
  // One read transaction, so the cards, the lanes and the seq describe the same moment.
  return ledger.sqlite.transaction(() => {
    const rows = cardsStatement(ledger).all() as CardRow[]
    const specs: SpecCard[] = rows.map((row) => ({
      id: row.id as SpecId,
      title: row.title,
      stage: row.stage as Stage,
      status: row.status as SpecStatus,
      agent: row.agent,
      source: row.source,
      tags: row.tags === '[]' ? [] : (JSON.parse(row.tags) as string[]),
      priority: row.priority,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      run:
        row.run_id && row.run_state
          ? toBadge({
              id: row.run_id,
              state: row.run_state,
              stage: row.run_stage,
              failureClass: row.run_failure,
              logTail: row.run_tail,
            })
          : null,
    }))
    return { agents: listAgents(ledger), specs, seq: ledger.latestSeq() }
  })()
}
