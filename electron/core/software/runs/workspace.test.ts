// Workspaces against real git repositories in temporary folders: create, retry, diff, merge, discard.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { caught, tempDirs } from './testing'
import {
  abandonWorktree,
  diffWorkspace,
  discardFolder,
  discardWorkspace,
  mergeWorkspace,
  pendingWork,
  prepareWorkspace,
  slugify,
  type Workspace,
} from './workspace'

const temps = tempDirs()
afterEach(temps.removeAll)
const temp = temps.make

const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0' }
for (const key of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE']) delete env[key]
const ID = ['-c', 'user.name=Test', '-c', 'user.email=test@localhost', '-c', 'commit.gpgsign=false']

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-C', cwd, ...ID, ...args], { env, encoding: 'utf8' }).trim()
}

function commitFile(cwd: string, file: string, text: string, message = `edit ${file}`): void {
  writeFileSync(join(cwd, file), text)
  git(cwd, 'add', file)
  git(cwd, 'commit', '-q', '-m', message)
}

function setup(): { repo: string; filesDir: string } {
  const repo = temp('factory-repo-')
  git(repo, 'init', '-q', '-b', 'main')
  commitFile(repo, 'README.md', 'hello\n', 'first')
  return { repo, filesDir: temp('factory-data-') }
}

function prepare(repo: string, filesDir: string, more: { branch?: string; title?: string } = {}) {
  return prepareWorkspace({
    workspace: repo,
    filesDir,
    specId: 's_12',
    specTitle: more.title ?? 'Add the login page',
    runId: 'r_1',
    branch: more.branch,
  })
}

describe('prepareWorkspace', () => {
  it('creates a worktree on factory/<slug> based on the current branch', () => {
    const { repo, filesDir } = setup()
    const ws = prepare(repo, filesDir)
    expect(ws).toMatchObject({
      kind: 'worktree',
      branch: 'factory/add-the-login-page',
      baseRef: 'main',
      baseCommit: git(repo, 'rev-parse', 'HEAD'),
      created: true,
      cwd: join(filesDir, 'worktrees', 'add-the-login-page-s_12'),
    })
    expect(readFileSync(join(ws.cwd, 'README.md'), 'utf8')).toBe('hello\n')
    expect(git(ws.cwd, 'branch', '--show-current')).toBe('factory/add-the-login-page')
  })

  it('suffixes the branch with the spec id when another spec took the name', () => {
    const { repo, filesDir } = setup()
    git(repo, 'branch', 'factory/add-the-login-page')
    expect(prepare(repo, filesDir).branch).toBe('factory/add-the-login-page-s_12')
  })

  it('reuses the branch and its worktree on a retry, and re-adds a deleted worktree', () => {
    const { repo, filesDir } = setup()
    const first = prepare(repo, filesDir)
    writeFileSync(join(first.cwd, 'work.txt'), 'in progress\n')
    const retry = prepare(repo, filesDir, { branch: first.branch })
    expect(retry).toMatchObject({ cwd: first.cwd, branch: first.branch, created: false })
    expect(readFileSync(join(retry.cwd, 'work.txt'), 'utf8')).toBe('in progress\n')

    git(first.cwd, 'add', 'work.txt')
    git(first.cwd, 'commit', '-q', '-m', 'work')
    rmSync(first.cwd, { recursive: true, force: true })
    const again = prepare(repo, filesDir, { branch: first.branch })
    expect(again).toMatchObject({
      branch: first.branch,
      created: true,
      baseCommit: first.baseCommit,
    })
    expect(readFileSync(join(again.cwd, 'work.txt'), 'utf8')).toBe('in progress\n')
  })

  it('takes back a worktree made for a dispatch that was refused: its folder and new branch', () => {
    const { repo, filesDir } = setup()
    const made = prepare(repo, filesDir)
    abandonWorktree(made, true)
    expect(existsSync(made.worktree!)).toBe(false)
    expect(git(repo, 'branch', '--list', made.branch!)).toBe('')
    // A branch the spec already had (a retry's) stays; only the folder made for it goes.
    const again = prepare(repo, filesDir)
    git(repo, 'worktree', 'remove', again.worktree!)
    const retry = prepare(repo, filesDir, { branch: again.branch! })
    abandonWorktree(retry, false)
    expect(existsSync(retry.worktree!)).toBe(false)
    expect(git(repo, 'branch', '--list', again.branch!)).toContain(again.branch!)
  })

  it('gives a folder that is not a git repository a fresh folder of its own', () => {
    const plain = temp('factory-plain-')
    writeFileSync(join(plain, 'mine.txt'), 'keep out')
    const filesDir = temp('factory-data-')
    const ws = prepareWorkspace({
      workspace: plain,
      filesDir,
      specId: 's_1',
      specTitle: 'x',
      runId: 'r_9',
    })
    expect(ws).toEqual({
      cwd: join(filesDir, 'runs', 'r_9', 'work'),
      kind: 'folder',
      created: true,
    })
    expect(existsSync(join(ws.cwd, 'mine.txt'))).toBe(false)
    const none = prepareWorkspace({ filesDir, specId: 's_1', specTitle: 'x', runId: 'r_9' })
    expect(none).toMatchObject({ kind: 'folder', created: false })
  })

  it('names a missing workspace folder', () => {
    const filesDir = temp('factory-data-')
    const missing = join(filesDir, 'nope')
    const error = caught(() =>
      prepareWorkspace({
        workspace: missing,
        filesDir,
        specId: 's_1',
        specTitle: 'x',
        runId: 'r_1',
      }),
    )
    expect(error.message).toContain(missing)
  })

  it('turns hostile titles into safe slugs and never runs them', () => {
    const { repo, filesDir } = setup()
    const marker = join(filesDir, 'pwned')
    const titles = [
      `$(touch ${marker})`,
      `\`touch ${marker}\``,
      '"; rm -rf ~ #',
      'Ünïcödé 日本語 ✨',
      '',
      '--force',
    ]
    for (const [i, title] of titles.entries()) {
      const slug = slugify(title)
      expect(slug).toMatch(/^[a-z0-9][a-z0-9-]{0,39}$/)
      const ws = prepareWorkspace({
        workspace: repo,
        filesDir,
        specId: `s_${i}`,
        specTitle: title,
        runId: 'r_1',
      })
      expect(ws.branch).toMatch(/^factory\/[a-z0-9-]+(-s_\d+)?$/)
    }
    expect(slugify('')).toBe('spec')
    expect(slugify('Ünïcödé 日本語 ✨')).toBe('unicode')
    expect(slugify('x'.repeat(100))).toHaveLength(40)
    expect(existsSync(marker)).toBe(false)
  })
})

describe('reviewing, merging and discarding', () => {
  function withWork(): { repo: string; filesDir: string; ws: Workspace & { branch: string } } {
    const { repo, filesDir } = setup()
    const ws = prepare(repo, filesDir) as Workspace & { branch: string }
    commitFile(ws.cwd, 'login.ts', 'export const login = 1\n', 'add login')
    return { repo, filesDir, ws }
  }
  const args = (repo: string, ws: Workspace & { branch: string }) => ({
    repo,
    worktree: ws.worktree,
    branch: ws.branch,
    baseRef: 'main',
  })

  it('diffs committed, uncommitted and untracked changes against the base', () => {
    const { ws } = withWork()
    writeFileSync(join(ws.cwd, 'README.md'), 'hello\nworld\n')
    writeFileSync(join(ws.cwd, 'new.txt'), 'untracked\n')
    const diff = diffWorkspace({ worktree: ws.cwd, baseCommit: ws.baseCommit! })
    expect(diff.truncated).toBe(false)
    expect(diff.files).toEqual([
      { path: 'README.md', status: 'modified', additions: 1, deletions: 0 },
      { path: 'login.ts', status: 'added', additions: 1, deletions: 0 },
      { path: 'new.txt', status: 'added', additions: 1, deletions: 0 },
    ])
    expect(diff.patch).toContain('+untracked')
    expect(diff.patch).toContain('+export const login = 1')
    // The agent's own index is untouched: new.txt is still untracked.
    expect(git(ws.cwd, 'status', '--porcelain')).toContain('?? new.txt')
  })

  it('merges the branch into the base branch', () => {
    const { repo, ws } = withWork()
    const result = mergeWorkspace({ repo, branch: ws.branch, baseRef: 'main', specId: 's_12' })
    expect(result.commit).toBe(git(repo, 'rev-parse', 'HEAD'))
    expect(readFileSync(join(repo, 'login.ts'), 'utf8')).toBe('export const login = 1\n')
    expect(git(repo, 'log', '-1', '--format=%s')).toBe(
      'Merge factory/add-the-login-page (spec s_12)',
    )
  })

  it('refuses a merge while the worktree has uncommitted changes', () => {
    const { repo, ws } = withWork()
    writeFileSync(join(ws.cwd, 'draft.txt'), 'x')
    const error = caught(() => mergeWorkspace({ repo, branch: ws.branch, baseRef: 'main' }))
    expect(error.message).toContain('draft.txt')
  })

  it('refuses a conflicting merge, names the file and leaves the repo as it was', () => {
    const { repo, ws } = withWork()
    commitFile(ws.cwd, 'README.md', 'from the agent\n')
    commitFile(repo, 'README.md', 'from the user\n')
    const head = git(repo, 'rev-parse', 'HEAD')
    const error = caught(() => mergeWorkspace({ repo, branch: ws.branch, baseRef: 'main' }))
    expect(error.message).toContain('README.md')
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head)
    expect(existsSync(join(repo, '.git', 'MERGE_HEAD'))).toBe(false)
    expect(git(repo, 'status', '--porcelain')).toBe('')
  })

  it('refuses to merge when the repo is on another branch', () => {
    const { repo, ws } = withWork()
    git(repo, 'checkout', '-q', '-b', 'other')
    expect(
      caught(() => mergeWorkspace({ repo, branch: ws.branch, baseRef: 'main' })).message,
    ).toContain('check out main first')
    expect(git(repo, 'branch', '--show-current')).toBe('other')
  })

  it('refuses to discard unsaved work until confirmed, then removes worktree and branch', () => {
    const { repo, ws } = withWork()
    writeFileSync(join(ws.cwd, 'draft.txt'), 'x')
    expect(pendingWork(args(repo, ws))).toMatchObject({
      uncommitted: ['draft.txt'],
      unmergedCommits: [{ subject: 'add login' }],
    })
    const error = caught(() => discardWorkspace({ ...args(repo, ws), confirmLoss: false }))
    expect(error.message).toContain('draft.txt')
    expect(error.message).toContain('add login')
    expect(existsSync(ws.cwd)).toBe(true)

    const result = discardWorkspace({ ...args(repo, ws), confirmLoss: true })
    expect(result.lost.uncommitted).toEqual(['draft.txt'])
    expect(existsSync(ws.cwd)).toBe(false)
    expect(git(repo, 'branch', '--list', ws.branch)).toBe('')
  })

  it('discards a merged branch without asking', () => {
    const { repo, ws } = withWork()
    mergeWorkspace({ repo, branch: ws.branch, baseRef: 'main' })
    expect(discardWorkspace({ ...args(repo, ws), confirmLoss: false }).lost).toEqual({
      uncommitted: [],
      unmergedCommits: [],
    })
  })

  it('deletes a run folder only inside the data folder', () => {
    const filesDir = temp('factory-data-')
    const outside = temp('factory-outside-')
    const ws = prepareWorkspace({ filesDir, specId: 's_1', specTitle: 'x', runId: 'r_1' })
    expect(caught(() => discardFolder(outside, filesDir)).message).toContain('not inside')
    expect(caught(() => discardFolder(join(filesDir, '..'), filesDir)).message).toContain(
      'not inside',
    )
    expect(caught(() => discardFolder(filesDir, filesDir)).message).toContain('not inside')
    expect(existsSync(outside)).toBe(true)
    mkdirSync(join(ws.cwd, 'sub'))
    expect(discardFolder(ws.cwd, filesDir)).toEqual({ removed: true })
    expect(existsSync(ws.cwd)).toBe(false)
  })
})
