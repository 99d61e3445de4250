// The board's data in one indexed read: every card (no bodies) and every lane.
import type Database from 'better-sqlite3'
import type { Board, SpecCard, SpecId, SpecStatus, Stage } from '../../shared/domain'
import { listAgents } from './agents'
import type { Ledger } from './db/ledger'

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
}

const statements = new WeakMap<Ledger, Database.Statement>()

function cardsStatement(ledger: Ledger): Database.Statement {
  let statement = statements.get(ledger)
  if (!statement) {
    statement = ledger.sqlite.prepare(
      `SELECT id, title, stage, status, agent, source, tags, priority, created_at, updated_at
       FROM specs ORDER BY priority DESC, created_at DESC`,
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
    }))
    return { agents: listAgents(ledger), specs, seq: ledger.latestSeq() }
  })()
}
