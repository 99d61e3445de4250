// Where a run works (a git worktree on its own factory/ branch, or a fresh folder) and how its work is
// reviewed, merged or discarded. Git always gets argument arrays, so a spec title never reaches a shell.
import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, realpathSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { FactoryError } from '../../../../shared/errors'

export interface Workspace {
  /** Where the agent starts: the worktree, or the same subfolder of it the user picked. */
  cwd: string
  kind: 'worktree' | 'folder'
  /** The worktree's top folder and the main repository's top folder (kind 'worktree' only). */
  worktree?: string
  repo?: string
  branch?: string
  baseRef?: string
  baseCommit?: string
  /** A new worktree or folder was made, so the caller runs its setup command. */
  created: boolean
}
export type FileStatus = 'added' | 'modified' | 'deleted' | 'renamed'
/** `from` is the old path of a renamed file. */
export type FileChange = { path: string; status: FileStatus; additions: number; deletions: number }
export type WorkspaceDiff = {
  files: (FileChange & { from?: string })[]
  patch: string
  truncated: boolean
}
export type PendingWork = {
  uncommitted: string[]
  unmergedCommits: { sha: string; subject: string }[]
}
/** A run's branch in the user's repo; `worktree` helps find it when the branch was switched away. */
export type RunBranch = { repo: string; worktree?: string; branch: string; baseRef: string }

export const PATCH_LIMIT = 2 * 1024 * 1024
const LIST_LIMIT = 20
const STATUS: Record<string, FileStatus> = { A: 'added', C: 'added', D: 'deleted', R: 'renamed' }
type GitResult = { status: number; stdout: string; stderr: string; overflow: boolean }
const refuse = (message: string): FactoryError => new FactoryError('InvalidInput', message)

function run(
  cwd: string,
  args: string[],
  opts: { env?: Record<string, string>; maxBuffer?: number } = {},
): GitResult {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' }
  // A parent git process (a hook, a test runner inside a repo) may have set these; they would point
  // every command at that repository instead of `cwd`.
  for (const key of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_COMMON_DIR', 'GIT_PREFIX'])
    delete env[key]
  const result = spawnSync('git', ['-C', cwd, ...args], {
    encoding: 'utf8',
    env: { ...env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: opts.maxBuffer ?? 256 * 1024 * 1024,
    timeout: 120_000,
  })
  const code = (result.error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOENT') throw refuse('git is not installed or not on PATH')
  if (result.error && code !== 'ENOBUFS')
    throw new FactoryError('Internal', `git ${args[0]} failed in ${cwd}: ${result.error.message}`)
  const { stdout = '', stderr = '' } = result
  return { status: result.status ?? 1, stdout, stderr, overflow: code === 'ENOBUFS' }
}

function git(cwd: string, args: string[], env?: Record<string, string>): string {
  const result = run(cwd, args, { env })
  if (result.status !== 0) {
    const why = result.stderr.trim() || `exit code ${result.status}`
    throw new FactoryError('Internal', `git ${args.join(' ')} failed in ${cwd}: ${why}`)
  }
  return result.stdout
}

const zList = (out: string): string[] => out.split('\0').filter(Boolean)
const listed = (items: string[]): string =>
  items.length <= LIST_LIMIT
    ? items.join(', ')
    : `${items.slice(0, LIST_LIMIT).join(', ')} and ${items.length - LIST_LIMIT} more`
const heads = (branch: string): string => `refs/heads/${branch}`

/** A branch or id is used as a git argument and a folder name: never an option, never a path trick. */
function checkName(what: string, value: string, pattern: RegExp): void {
  if (!pattern.test(value) || value.includes('..')) throw refuse(`${what} "${value}" is not valid`)
}
const checkBranch = (branch: string): void =>
  checkName('branch', branch, /^[^-\s\x00-\x1f~^:?*[\\][^\s\x00-\x1f~^:?*[\\]{0,199}$/)
const checkId = (what: string, id: string): void =>
  checkName(what, id, /^[A-Za-z0-9_][A-Za-z0-9_-]{0,63}$/)

/** "Fix the Café login!" → "fix-the-cafe-login"; anything else (including an empty title) → "spec". */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 40)
    .replace(/-+$/, '')
  return slug || 'spec'
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false
}

/** The top folder of the repository holding `dir`, or undefined when it is not in one. */
function repoTop(dir: string): string | undefined {
  const result = run(dir, ['rev-parse', '--show-toplevel'])
  if (result.status === 0) return result.stdout.trim()
  // Only "not a repository" means a plain folder; anything else (e.g. "dubious ownership") is a
  // problem the user should see rather than a run silently working somewhere else.
  if (/not a git repository|must be run in a work tree/i.test(result.stderr)) return undefined
  throw refuse(`git cannot use ${dir}: ${result.stderr.trim()}`)
}

/** A folder inside a git repository with at least one commit: runs there get a worktree. */
export function isRepository(dir: string): boolean {
  const top = isDirectory(dir) ? repoTop(dir) : undefined
  return top !== undefined && refExists(top, 'HEAD')
}

function repoTopOrThrow(dir: string): string {
  const top = isDirectory(dir) ? repoTop(dir) : undefined
  if (!top) throw refuse(`${dir} is not a git repository`)
  return top
}

const refExists = (repo: string, ref: string): boolean =>
  run(repo, ['rev-parse', '-q', '--verify', `${ref}^{commit}`]).status === 0

function currentBranch(repo: string): string | undefined {
  const result = run(repo, ['symbolic-ref', '-q', '--short', 'HEAD'])
  return result.status === 0 ? result.stdout.trim() : undefined
}

/**
 * The registered worktree (still on disk) that has `branch` checked out, else `hint` if that is a
 * registered worktree (the agent may have switched branches) — never just some folder in a repo.
 */
function worktreeOf(repo: string, branch: string, hint?: string): string | undefined {
  const hints = hint && isDirectory(hint) ? [resolve(hint), realpathSync(hint)] : []
  let hinted: string | undefined
  for (const block of git(repo, ['worktree', 'list', '--porcelain', '-z']).split('\0\0')) {
    const lines = zList(block)
    const path = lines.find((l) => l.startsWith('worktree '))?.slice('worktree '.length)
    if (!path || !isDirectory(path)) continue
    if (lines.includes(`branch ${heads(branch)}`)) return path
    if (hints.includes(path)) hinted = path
  }
  return hinted
}

/** Changed paths in a working tree, untracked files included (their own paths, not folders). */
function statusPaths(dir: string): string[] {
  const entries = zList(git(dir, ['status', '--porcelain=v1', '-z', '--untracked-files=all']))
  const paths: string[] = []
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i] ?? ''
    paths.push(entry.slice(3))
    if (/^[RC]|^.[RC]/.test(entry)) i++ // a rename is followed by its old path
  }
  return paths
}

/** factory/<slug>, or with the spec id when another spec with the same title took that name. */
function freeBranch(repo: string, slug: string, specId: string): string {
  for (let n = 1; ; n++) {
    const name = `factory/${slug}${n > 1 ? `-${specId}` : ''}${n > 2 ? `-${n}` : ''}`
    if (!refExists(repo, heads(name))) return name
  }
}

function freePath(root: string, name: string): string {
  for (let n = 1; ; n++) {
    const path = join(root, n === 1 ? name : `${name}-${n}`)
    if (!existsSync(path)) return path
  }
}

export interface PrepareOptions {
  workspace?: string
  /** The ledger's own files folder: fresh run folders and worktrees go under it. */
  filesDir: string
  specId: string
  specTitle: string
  runId: string
  /** The spec's branch from an earlier run: a retry or follow-up continues on it. */
  branch?: string
}

export function prepareWorkspace(opts: PrepareOptions): Workspace {
  checkId('spec id', opts.specId)
  checkId('run id', opts.runId)
  if (opts.workspace) {
    const dir = resolve(opts.workspace)
    if (!isDirectory(dir)) throw refuse(`the workspace folder ${dir} does not exist`)
    const repo = repoTop(dir)
    if (repo && refExists(repo, 'HEAD')) return prepareWorktree(opts, repo, dir)
  }
  // A folder outside git (or a repo without commits) has no branch to review, merge or throw
  // away, so the run gets a fresh folder of its own rather than writing into the user's files.
  const cwd = join(resolve(opts.filesDir), 'runs', opts.runId, 'work')
  const created = !existsSync(cwd)
  mkdirSync(cwd, { recursive: true })
  return { cwd, kind: 'folder', created }
}

function prepareWorktree(opts: PrepareOptions, repo: string, dir: string): Workspace {
  const baseRef = currentBranch(repo)
  if (!baseRef)
    throw refuse(
      `${repo} has no branch checked out (detached HEAD); check out the branch the work should be merged into`,
    )
  // The agent starts in the same subfolder of the worktree that the user picked in the repo.
  const prefix = git(dir, ['rev-parse', '--show-prefix']).trim()
  const root = join(resolve(opts.filesDir), 'worktrees')
  mkdirSync(root, { recursive: true })
  run(repo, ['worktree', 'prune'])
  const slug = slugify(opts.specTitle)
  const folder = `${slug}-${opts.specId}`
  const made = (worktree: string, branch: string, baseCommit: string, created: boolean) => ({
    cwd: resolve(worktree, prefix),
    kind: 'worktree' as const,
    worktree,
    repo,
    branch,
    baseRef,
    baseCommit,
    created,
  })
  if (opts.branch) checkBranch(opts.branch)
  if (opts.branch && refExists(repo, heads(opts.branch))) {
    const branch = opts.branch
    const base = run(repo, ['merge-base', heads(baseRef), heads(branch)])
    const baseCommit =
      base.status === 0 ? base.stdout.trim() : git(repo, ['rev-parse', 'HEAD']).trim()
    const existing = worktreeOf(repo, branch)
    if (existing) return made(existing, branch, baseCommit, false)
    const worktree = freePath(root, folder)
    git(repo, ['worktree', 'add', worktree, branch])
    return made(worktree, branch, baseCommit, true)
  }
  const branch = opts.branch ?? freeBranch(repo, slug, opts.specId)
  const baseCommit = git(repo, ['rev-parse', 'HEAD^{commit}']).trim()
  const worktree = freePath(root, folder)
  git(repo, ['worktree', 'add', '-b', branch, worktree, baseCommit])
  return made(worktree, branch, baseCommit, true)
}

/** Everything the run changed since `baseCommit`: its commits, edits and new files. */
export function diffWorkspace(opts: {
  repo?: string
  worktree: string
  baseCommit: string
}): WorkspaceDiff {
  const top = repoTopOrThrow(opts.worktree)
  checkName('base commit', opts.baseCommit, /^[0-9a-f]{4,64}$/i)
  // Stage everything into a throwaway index so untracked files show up in the diff while the
  // worktree's own index (what the agent staged) stays exactly as it was.
  const index = join(tmpdir(), `factory-index-${randomUUID()}`)
  try {
    const realIndex = resolve(top, git(top, ['rev-parse', '--git-path', 'index']).trim())
    if (existsSync(realIndex)) copyFileSync(realIndex, index) // keeps stat data, so add is quick
    const env = { GIT_INDEX_FILE: index }
    git(top, ['add', '-A'], env)
    const diff = ['diff', '--cached', '-M', '--no-color', '--no-ext-diff', opts.baseCommit]
    const statuses = zList(git(top, [...diff, '--name-status', '-z'], env))
    const counts = zList(git(top, [...diff, '--numstat', '-z'], env))
    const files: WorkspaceDiff['files'] = []
    for (let i = 0, j = 0; i < statuses.length; i++) {
      const letter = (statuses[i] ?? '').charAt(0)
      const renamed = letter === 'R' || letter === 'C'
      const from = renamed ? statuses[++i] : undefined
      const path = statuses[++i] ?? ''
      const [added = '0', deleted = '0'] = (counts[j] ?? '').split('\t')
      j += renamed ? 3 : 1 // numstat -z writes a rename as "a\td\t", old, new
      // Binary files count as "-": no lines to report.
      const [additions, deletions] = [Number(added) || 0, Number(deleted) || 0]
      const status = STATUS[letter] ?? 'modified'
      files.push({
        path,
        status,
        additions,
        deletions,
        ...(letter === 'R' && from ? { from } : {}),
      })
    }
    const patchRun = run(top, diff, { env, maxBuffer: PATCH_LIMIT * 2 })
    let patch = patchRun.stdout
    const truncated = patchRun.overflow || patch.length > PATCH_LIMIT
    if (truncated) patch = patch.slice(0, patch.lastIndexOf('\n', PATCH_LIMIT) + 1)
    return { files, patch, truncated }
  } finally {
    rmSync(index, { force: true })
  }
}

/** What Discard would lose: uncommitted files in the worktree and commits only on the branch. */
export function pendingWork(opts: RunBranch): PendingWork {
  checkBranch(opts.branch)
  checkBranch(opts.baseRef)
  const repo = repoTopOrThrow(opts.repo)
  const worktree = worktreeOf(repo, opts.branch, opts.worktree)
  const uncommitted = worktree ? statusPaths(worktree) : []
  if (!refExists(repo, heads(opts.branch))) return { uncommitted, unmergedCommits: [] }
  // If the base branch is gone, a commit is lost when no other local branch has it.
  const not = refExists(repo, heads(opts.baseRef))
    ? [heads(opts.baseRef)]
    : [`--exclude=${opts.branch}`, '--branches']
  const log = git(repo, ['log', '--format=%H %s', heads(opts.branch), '--not', ...not, '--'])
  const commits = log.split('\n').filter(Boolean)
  const split = (line: string) => ({
    sha: line.replace(/ .*/, ''),
    subject: line.replace(/^\S+ /, ''),
  })
  return { uncommitted, unmergedCommits: commits.map(split) }
}

/** Commits on the run's branch since `baseCommit` (where it started); null: the branch is gone. */
export function commitsSince(opts: {
  repo: string
  branch: string
  baseCommit: string
}): number | null {
  checkBranch(opts.branch)
  checkName('base commit', opts.baseCommit, /^[0-9a-f]{4,64}$/i)
  const repo = repoTopOrThrow(opts.repo)
  if (!refExists(repo, heads(opts.branch))) return null
  return Number(git(repo, ['rev-list', '--count', `${opts.baseCommit}..${heads(opts.branch)}`]))
}

function identity(repo: string): string[] {
  const has = (key: string) => run(repo, ['config', '--get', key]).stdout.trim() !== ''
  return [
    ...(has('user.name') ? [] : ['-c', 'user.name=Factory Stack']),
    ...(has('user.email') ? [] : ['-c', 'user.email=factory@localhost']),
  ]
}

/** Merges the run's branch into baseRef in the user's repo, or refuses and changes nothing. */
export function mergeWorkspace(opts: RunBranch & { specId?: string; message?: string }): {
  merged: true
  commit: string
} {
  const { branch, baseRef } = opts
  checkBranch(branch)
  checkBranch(baseRef)
  const repo = repoTopOrThrow(opts.repo)
  if (!refExists(repo, heads(branch)))
    throw refuse(`the branch ${branch} no longer exists in ${repo}`)
  const worktree = worktreeOf(repo, branch, opts.worktree)
  const dirty = worktree && worktree !== repo ? statusPaths(worktree) : []
  if (dirty.length > 0)
    throw refuse(
      `the run's worktree has uncommitted changes: ${listed(dirty)}. Commit them on ${branch} or discard them, then merge again`,
    )
  const current = currentBranch(repo)
  if (current !== baseRef)
    throw refuse(
      `${repo} has ${current ?? 'no branch'} checked out, not ${baseRef}; check out ${baseRef} first (Factory Stack does not switch your branch)`,
    )
  if (refExists(repo, 'MERGE_HEAD'))
    throw refuse(`${repo} is in the middle of a merge; finish or abort it first`)
  if (run(repo, ['merge-base', '--is-ancestor', heads(branch), 'HEAD']).status === 0)
    throw refuse(`${branch} has no commits that ${baseRef} does not already have`)
  const base = git(repo, ['merge-base', 'HEAD', heads(branch)]).trim()
  const incoming = new Set(zList(git(repo, ['diff', '--name-only', '-z', base, heads(branch)])))
  const touched = statusPaths(repo).filter((path) => incoming.has(path))
  if (touched.length > 0)
    throw refuse(
      `${repo} has uncommitted changes in files the merge would change: ${listed(touched)}. Commit or stash them first`,
    )
  const message = opts.message ?? `Merge ${branch}${opts.specId ? ` (spec ${opts.specId})` : ''}`
  const args = ['merge', '--no-ff', '--no-edit', '-m', message, heads(branch)]
  const merge = run(repo, [...identity(repo), ...args])
  if (merge.status !== 0) {
    const conflicts = zList(run(repo, ['diff', '--name-only', '--diff-filter=U', '-z']).stdout)
    // Put the repo back exactly as it was: no MERGE_HEAD, no conflict markers.
    if (refExists(repo, 'MERGE_HEAD')) run(repo, ['merge', '--abort'])
    throw refuse(
      conflicts.length > 0
        ? `merging ${branch} into ${baseRef} conflicts in: ${listed(conflicts)}. Nothing was changed; resolve the conflict on ${branch} (e.g. merge ${baseRef} into it) and merge again`
        : `git could not merge ${branch} into ${baseRef}; nothing was changed: ${(merge.stderr || merge.stdout).trim()}`,
    )
  }
  return { merged: true, commit: git(repo, ['rev-parse', 'HEAD']).trim() }
}

/** Removes the run's worktree and branch; refuses to lose work unless the user confirmed it. */
export function discardWorkspace(opts: RunBranch & { confirmLoss: boolean }): {
  removed: true
  lost: PendingWork
} {
  // Only branches the factory made are ever deleted, never a user's own branch.
  if (!opts.branch.startsWith('factory/'))
    throw refuse(`refusing to delete ${opts.branch}: not a factory/ branch`)
  const lost = pendingWork(opts)
  if (!opts.confirmLoss && (lost.uncommitted.length > 0 || lost.unmergedCommits.length > 0)) {
    const parts = [
      lost.uncommitted.length > 0 ? `uncommitted files: ${listed(lost.uncommitted)}` : '',
      lost.unmergedCommits.length > 0
        ? `commits not in ${opts.baseRef}: ${listed(lost.unmergedCommits.map((c) => `${c.sha.slice(0, 8)} ${c.subject}`))}`
        : '',
    ]
    throw refuse(
      `discarding ${opts.branch} would lose ${parts.filter(Boolean).join('; ')}. Confirm to discard anyway`,
    )
  }
  const repo = repoTopOrThrow(opts.repo)
  const worktree = worktreeOf(repo, opts.branch, opts.worktree)
  if (worktree && worktree !== repo) git(repo, ['worktree', 'remove', '--force', worktree])
  run(repo, ['worktree', 'prune'])
  if (refExists(repo, heads(opts.branch))) git(repo, ['branch', '-D', opts.branch])
  return { removed: true, lost }
}

/** Deletes a run's folder, but only strictly inside `within` (its run folder), whatever the path says. */
export function discardFolder(path: string, within: string): { removed: boolean } {
  const target = resolve(path)
  if (!existsSync(within)) throw refuse(`${within} does not exist`)
  const root = realpathSync(within)
  // Resolve symlinks in the parent only, so a link inside `within` is removed, not what it points to.
  const parent = existsSync(dirname(target)) ? realpathSync(dirname(target)) : dirname(target)
  const real = join(parent, basename(target))
  const rel = relative(root, real)
  if (!rel || rel.startsWith('..') || isAbsolute(rel))
    throw refuse(`refusing to delete ${path}: it is not inside ${root}`)
  if (!existsSync(real)) return { removed: false }
  rmSync(real, { recursive: true, force: true })
  return { removed: true }
}

/**
 * Takes back a worktree made for a dispatch that was then refused (another process took the slot
 * first): the folder, and the branch when it was made for it. Nothing ran in it yet.
 */
export function abandonWorktree(workspace: Workspace, branchWasNew: boolean): void {
  if (workspace.kind !== 'worktree' || !workspace.created || !workspace.repo) return
  run(workspace.repo, ['worktree', 'remove', '--force', workspace.worktree!])
  if (branchWasNew && workspace.branch) run(workspace.repo, ['branch', '-D', workspace.branch])
}
