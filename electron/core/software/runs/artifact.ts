// Reading a run's artifact.json (the run contract's "shipped" signal) and copying its screenshots
// into the data folder, so the record outlives the worktree. The file comes from an agent: every
// field is checked, and a screenshot path may not point outside the run's own folders. Nor may the
// files hang or flood the supervisor: each is opened without blocking or following a link, must be
// a regular file of bounded size, and is read (or copied) from that descriptor, within the bound.
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  realpathSync,
  writeSync,
} from 'node:fs'
import { basename, isAbsolute, join, relative, resolve } from 'node:path'
import { z } from 'zod'
import { describeIssues } from '../../../../shared/api'
import type { Artifact } from '../../../../shared/runs'

const MAX_ARTIFACT_FILE = 1024 * 1024
const MAX_SCREENSHOT = 20 * 1024 * 1024
// Not following a final symlink (/dev/zero, anything) and not blocking on a FIFO with no writer.
// Both flags are undefined on Windows.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0)

const artifactFileSchema = z.object({
  name: z.string().trim().min(1).max(200),
  version: z.string().trim().min(1).max(100),
  url: z.string().trim().max(2000).default(''),
  changelog: z.string().max(200_000).default(''),
  screenshots: z.array(z.string().min(1).max(1000)).max(20).default([]),
})

export type ArtifactRecord = Omit<Artifact, 'runId' | 'specId' | 'createdAt'>

export type ArtifactReading =
  | { kind: 'none' }
  | { kind: 'invalid'; problem: string }
  | { kind: 'artifact'; artifact: ArtifactRecord }

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}

type Opened = { fd: number; size: number } | 'missing' | 'irregular'

/** An open regular file and its size. Other errors than these (EACCES, EIO) are thrown. */
function openRegular(path: string): Opened {
  let fd: number
  try {
    fd = openSync(path, OPEN_FLAGS)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing'
    if (code === 'ELOOP' || code === 'EISDIR') return 'irregular' // a symlink, a directory
    throw error
  }
  const stats = fstatSync(fd)
  if (stats.isFile()) return { fd, size: stats.size }
  closeSync(fd)
  return 'irregular'
}

/** Up to `size` bytes of `fd` into `to`: the size checked, whatever the file does meanwhile. */
function copyBounded(fd: number, size: number, to: string): void {
  const out = openSync(to, 'w')
  try {
    const buffer = Buffer.alloc(Math.min(size, 1024 * 1024))
    for (let done = 0; done < size;) {
      const read = readSync(fd, buffer, 0, Math.min(buffer.length, size - done), done)
      if (read === 0) break
      for (let written = 0; written < read;) {
        written += writeSync(out, buffer, written, read - written)
      }
      done += read
    }
  } finally {
    closeSync(out)
  }
}

function readArtifactFile(file: string): { raw: unknown } | ArtifactReading {
  const opened = openRegular(file)
  if (opened === 'missing') return { kind: 'none' }
  if (opened === 'irregular')
    return { kind: 'invalid', problem: 'artifact.json is not a regular file' }
  try {
    if (opened.size > MAX_ARTIFACT_FILE) {
      return { kind: 'invalid', problem: 'artifact.json is larger than 1 MB' }
    }
    // One byte more than allowed tells a file that grew since fstat.
    const buffer = Buffer.alloc(MAX_ARTIFACT_FILE + 1)
    let length = 0
    let read: number
    do {
      read = readSync(opened.fd, buffer, length, buffer.length - length, length)
      length += read
    } while (read > 0 && length < buffer.length)
    if (length > MAX_ARTIFACT_FILE) {
      return { kind: 'invalid', problem: 'artifact.json is larger than 1 MB' }
    }
    return { raw: JSON.parse(buffer.subarray(0, length).toString('utf8')) }
  } catch (error) {
    return {
      kind: 'invalid',
      problem: `artifact.json is not valid JSON: ${(error as Error).message}`,
    }
  } finally {
    closeSync(opened.fd)
  }
}

export function readArtifact(options: {
  outputDir: string
  cwd: string
  /** Where screenshots are copied to: <ledger>.files/artifacts/<runId>. */
  destination: string
}): ArtifactReading {
  let file: { raw: unknown } | ArtifactReading
  try {
    file = readArtifactFile(join(options.outputDir, 'artifact.json'))
  } catch (error) {
    return { kind: 'invalid', problem: `artifact.json: ${(error as Error).message}` }
  }
  if (!('raw' in file)) return file
  const parsed = artifactFileSchema.safeParse(file.raw)
  if (!parsed.success) {
    return { kind: 'invalid', problem: `artifact.json: ${describeIssues(parsed.error)}` }
  }
  // The same check on real paths: a symlink in the output folder may point anywhere (the
  // folders themselves may sit behind a link, e.g. /tmp on macOS, so both sides are resolved).
  const folders = [options.outputDir, options.cwd].filter(existsSync).map((f) => realpathSync(f))
  // Every screenshot is checked before any is copied: a bad one fails the run with nothing copied.
  // Each is copied from the descriptor that was checked, so swapping the file afterwards (for a
  // FIFO, a link, a bigger file) changes nothing.
  const sources: { fd: number; size: number; name: string }[] = []
  try {
    const problem = checkScreenshots(parsed.data.screenshots, options, folders, sources)
    if (problem) return { kind: 'invalid', problem: `artifact.json: ${problem}` }
    // Errors copying (our own disk) are thrown as before: they are not the agent's output.
    const screenshots = sources.map(({ fd, size, name }, i) => {
      mkdirSync(options.destination, { recursive: true })
      const copy = join(options.destination, `${i + 1}-${name}`)
      copyBounded(fd, size, copy)
      return copy
    })
    return { kind: 'artifact', artifact: { ...parsed.data, screenshots } }
  } finally {
    for (const { fd } of sources) closeSync(fd)
  }
}

/** The first problem with the screenshots, or none; each one opened into `sources`. */
function checkScreenshots(
  shots: string[],
  options: { outputDir: string; cwd: string },
  folders: string[],
  sources: { fd: number; size: number; name: string }[],
): string | undefined {
  for (const shot of shots) {
    const outside = `screenshot "${shot}" is outside the run's output and work folders`
    const source = resolve(options.outputDir, shot)
    if (!inside(options.outputDir, source) && !inside(options.cwd, source)) return outside
    try {
      if (!existsSync(source)) return `screenshot "${shot}" does not exist`
      const real = realpathSync(source)
      if (!folders.some((folder) => inside(folder, real))) return outside
      const opened = openRegular(real)
      if (opened === 'missing') return `screenshot "${shot}" does not exist`
      if (opened === 'irregular') return `screenshot "${shot}" is not a regular file`
      sources.push({ ...opened, name: basename(source) })
      if (opened.size > MAX_SCREENSHOT) return `screenshot "${shot}" is larger than 20 MB`
    } catch (error) {
      return `screenshot "${shot}" could not be read: ${(error as Error).message}`
    }
  }
  return undefined
}
