// Reading a run's artifact.json (the run contract's "shipped" signal) and copying its screenshots
// into the data folder, so the record outlives the worktree. The file comes from an agent: every
// field is checked, and a screenshot path may not point outside the run's own folders.
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { basename, isAbsolute, join, relative, resolve } from 'node:path'
import { z } from 'zod'
import { describeIssues } from '../../../shared/api'
import type { Artifact } from '../../../shared/runs'

const MAX_ARTIFACT_FILE = 1024 * 1024
const MAX_SCREENSHOT = 20 * 1024 * 1024

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

export function readArtifact(options: {
  outputDir: string
  cwd: string
  /** Where screenshots are copied to: <dataDir>/artifacts/<runId>. */
  destination: string
}): ArtifactReading {
  const file = join(options.outputDir, 'artifact.json')
  if (!existsSync(file)) return { kind: 'none' }
  let raw: unknown
  try {
    if (statSync(file).size > MAX_ARTIFACT_FILE) {
      return { kind: 'invalid', problem: 'artifact.json is larger than 1 MB' }
    }
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    return {
      kind: 'invalid',
      problem: `artifact.json is not valid JSON: ${(error as Error).message}`,
    }
  }
  const parsed = artifactFileSchema.safeParse(raw)
  if (!parsed.success) {
    return { kind: 'invalid', problem: `artifact.json: ${describeIssues(parsed.error)}` }
  }
  // Every screenshot is checked before any is copied: a bad one fails the run with nothing copied.
  const sources: { real: string; name: string }[] = []
  for (const shot of parsed.data.screenshots) {
    const outside = {
      kind: 'invalid' as const,
      problem: `artifact.json: screenshot "${shot}" is outside the run's output and work folders`,
    }
    const source = resolve(options.outputDir, shot)
    if (!inside(options.outputDir, source) && !inside(options.cwd, source)) return outside
    if (!existsSync(source) || !statSync(source).isFile()) {
      return { kind: 'invalid', problem: `artifact.json: screenshot "${shot}" does not exist` }
    }
    // The same check on real paths: a symlink in the output folder may point anywhere (the
    // folders themselves may sit behind a link, e.g. /tmp on macOS, so both sides are resolved).
    const real = realpathSync(source)
    const folders = [options.outputDir, options.cwd].filter(existsSync).map((f) => realpathSync(f))
    if (!folders.some((folder) => inside(folder, real))) return outside
    if (statSync(real).size > MAX_SCREENSHOT) {
      return {
        kind: 'invalid',
        problem: `artifact.json: screenshot "${shot}" is larger than 20 MB`,
      }
    }
    sources.push({ real, name: basename(source) })
  }
  const screenshots = sources.map(({ real, name }, i) => {
    mkdirSync(options.destination, { recursive: true })
    const copy = join(options.destination, `${i + 1}-${name}`)
    copyFileSync(real, copy)
    return copy
  })
  return { kind: 'artifact', artifact: { ...parsed.data, screenshots } }
}
