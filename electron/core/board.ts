// The board's data in one read transaction: every card (no bodies), its latest run's badge (with a
// shipped run's artifact and its branch state, both kept on rows: no git here), and every lane.
// Rows come back as arrays (better-sqlite3's raw mode): on a 10,000-card board that halves the
// cost of building them.
import type { Board, SpecCard, SpecId, SpecStatus, Stage } from '../../shared/domain'
import type { RunBadge } from '../../shared/runs'
import { listAgents } from './agents'
import { unmetDependenciesSql } from './dependencies'
import type { Ledger } from './db/ledger'
import { toBadge } from './software/runs/runs'

type CardRow = [
  id: string,
  title: string,
  stage: string,
  status: string,
  agent: string | null,
  source: string,
  tags: string,
  priority: number,
  createdAt: number,
  updatedAt: number,
  runId: string | null,
  waitingOn: string | null,
]

type BadgeRow = [
  id: string,
  state: string,
  stage: string | null,
  failureClass: string | null,
  logTail: string | null,
  placement: string | null,
  baseRef: string | null,
  branchState: string | null,
  branchCommits: number,
  branchUncommitted: number,
  mergeRefusal: string | null,
  artifactName: string | null,
  artifactVersion: string | null,
  artifactUrl: string | null,
]

// The board's two reads, prepared once per ledger (Ledger.statement) and read as raw rows.
const CARDS_SQL = `SELECT id, title, stage, status, agent, source, tags, priority, created_at, updated_at, run_id,
     CASE WHEN status = 'queued' THEN ${unmetDependenciesSql('specs.id')} END
   FROM specs ORDER BY priority DESC, created_at DESC`
// Only the runs cards point at; the log tail only where a card shows it (failed, lost). A shipped
// run's artifact (name, version, link) is on its row: a join to artifacts would double the read.
const BADGES_SQL = `SELECT r.id, r.state, r.stage, r.failure_class,
          CASE WHEN r.state IN ('failed', 'lost') THEN r.log_tail END, r.placement,
          r.base_ref, r.branch_state, r.branch_commits, r.branch_uncommitted, r.merge_refusal,
          r.artifact_name, r.artifact_version, r.artifact_url
   FROM runs r JOIN specs s ON s.run_id = r.id`

function prepared(ledger: Ledger) {
  return {
    cards: ledger.statement(CARDS_SQL).raw(),
    badges: ledger.statement(BADGES_SQL).raw(),
  }
}

function badgeOf(row: BadgeRow): RunBadge {
  return toBadge({
    id: row[0],
    state: row[1],
    stage: row[2],
    failureClass: row[3],
    logTail: row[4],
    placement: row[5],
    baseRef: row[6],
    branchState: row[7],
    branchCommits: row[8],
    branchUncommitted: row[9],
    mergeRefusal: row[10],
    artifactName: row[11],
    artifactVersion: row[12],
    artifactUrl: row[13],
  })
}

/** Shared by every card that waits for nothing (almost all of them). */
const NOTHING: SpecId[] = []

export function readBoard(ledger: Ledger): Board {
  const { cards, badges } = prepared(ledger)
  return ledger.sqlite.transaction(() => {
    const runs = new Map<string, RunBadge>()
    for (const row of badges.all() as BadgeRow[]) runs.set(row[0], badgeOf(row))
    // Many cards share a tag set: parse each distinct one once per read.
    const tagSets = new Map<string, string[]>()
    const tagsOf = (text: string): string[] => {
      let tags = tagSets.get(text)
      if (!tags) tagSets.set(text, (tags = JSON.parse(text) as string[]))
      return tags
    }
    const specs: SpecCard[] = (cards.all() as CardRow[]).map((row) => ({
      id: row[0] as SpecId,
      title: row[1],
      stage: row[2] as Stage,
      status: row[3] as SpecStatus,
      agent: row[4],
      source: row[5],
      tags: row[6] === '[]' ? [] : tagsOf(row[6]),
      priority: row[7],
      createdAt: row[8],
      updatedAt: row[9],
      run: (row[10] && runs.get(row[10])) || null,
      waitingOn: row[11] ? (row[11].split(' ') as SpecId[]) : NOTHING,
    }))
    return { agents: listAgents(ledger), specs, seq: ledger.latestSeq() }
  })()
}
