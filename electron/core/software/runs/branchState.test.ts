// The branch-state read model: its words on the card, a refusal cut to a few words, and a ledger
// from before branch states were kept (migration 0011) read as its merges and discards said.
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { branchWords, type BranchState } from '../../../../shared/branch'
import { readBoard } from '../../board'
import { openLedger, type Ledger } from '../../db/ledger'
import { migrate } from '../../db/migrate'
import { MIGRATIONS } from '../../db/migrations'
import { reactorCursor } from '../../reactors'
import { tempLedgerPath } from '../../testing'
import { refusalWords } from './branchState'
import { runBranches } from './mergeWhenShipped'

const branch = (fields: Partial<BranchState>): BranchState => ({
  state: 'unmerged',
  into: 'main',
  commits: 0,
  uncommitted: 0,
  refusal: null,
  ...fields,
})

describe('branch words', () => {
  it('say where the branch stands as a person would', () => {
    expect(branchWords(branch({ commits: 3 }))).toBe('Not merged · 3 commits')
    expect(branchWords(branch({ commits: 1, uncommitted: 2 }))).toBe(
      'Not merged · 1 commit · 2 uncommitted files',
    )
    expect(branchWords(branch({ commits: 2, refusal: 'conflicts in src/x.ts' }))).toBe(
      'Not merged · conflicts in src/x.ts',
    )
    expect(branchWords(branch({ state: 'merged', into: 'trunk' }))).toBe('Merged into trunk')
    expect(branchWords(branch({ state: 'empty' }))).toBe('Nothing to merge')
    expect(branchWords(branch({ state: 'discarded' }))).toBe('Discarded')
  })
})

describe('a refusal in a few words', () => {
  it('names the conflicting files, or what to fix, without the instructions', () => {
    expect(
      refusalWords(
        'merging factory/a into main conflicts in: src/x.ts, README.md. Nothing was changed; resolve the conflict on factory/a (e.g. merge main into it) and merge again',
      ),
    ).toBe('conflicts in src/x.ts, README.md')
    expect(
      refusalWords(
        '/home/me/app has feature checked out, not main; check out main first (Factory Stack does not switch your branch)',
      ),
    ).toBe('main is not checked out')
    expect(
      refusalWords(
        "the run's worktree has uncommitted changes: a.txt. Commit them on factory/a or discard them, then merge again",
      ),
    ).toBe('uncommitted changes in its worktree')
    expect(refusalWords('something git said that nobody foresaw. And more')).toBe(
      'something git said that nobody foresaw',
    )
    expect(refusalWords('x'.repeat(200))).toHaveLength(80)
  })
})

describe('a ledger from before branch states were kept', () => {
  let cleanup = (): void => {}
  let ledger: Ledger | undefined
  afterEach(() => {
    ledger?.close()
    cleanup()
  })

  it('reads merged and discarded branches from the log, artifacts onto their cards, and starts the reactor at its end', () => {
    const temp = tempLedgerPath()
    cleanup = temp.cleanup
    const old = new Database(temp.path)
    migrate(old, MIGRATIONS.slice(0, 11))
    const insert = (sql: string) => old.prepare(sql).run()
    insert(
      `INSERT INTO agents (name, runner, created_at, updated_at) VALUES ('bob', 'claude', 1, 1)`,
    )
    for (const n of [1, 2, 3]) {
      insert(`INSERT INTO specs (id, title, stage, status, source, run_id, created_at)
              VALUES ('s_${n}', 'Spec ${n}', 'marketing', 'shipped', 'cli', 'r_${n}', 1)`)
      insert(`INSERT INTO runs (id, spec_id, agent, runner, state, argv, cwd, workspace_kind,
                repo, branch, base_ref, run_dir, created_at, updated_at)
              VALUES ('r_${n}', 's_${n}', 'bob', 'claude', 'shipped', '[]', '/w', 'worktree',
                '/repo', 'factory/spec-${n}', 'main', '/runs/r_${n}', 10, 10)`)
    }
    insert(`INSERT INTO artifacts (run_id, spec_id, name, version, url, changelog, created_at)
            VALUES ('r_3', 's_3', 'hello', '1.0.0', 'https://example.com', '', 10)`)
    insert(`INSERT INTO events (ts, type, subject, actor) VALUES (20, 'run.merged', 'r_1', 'app')`)
    insert(
      `INSERT INTO events (ts, type, subject, actor) VALUES (21, 'run.discarded', 'r_2', 'app')`,
    )
    old.close()

    ledger = openLedger({ path: temp.path })
    const states = readBoard(ledger).specs.map((s) => s.run?.branchState?.state ?? null)
    expect(states.sort()).toEqual(['discarded', 'merged', null].sort())
    const third = readBoard(ledger).specs.find((s) => s.id === 's_3')!.run!
    expect(third.artifact).toEqual({ name: 'hello', version: '1.0.0', url: 'https://example.com' })
    // r_3 was never reviewed: left unknown, not checked with git at the first start.
    expect(reactorCursor(ledger, runBranches.name)).toBe(2)
  })
})
