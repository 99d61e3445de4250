// What a spec's blueprint asks of the lane that runs it, read from the blueprint's frontmatter:
//   ---
//   runners: [claude, codex]     # only lanes driving one of these CLIs
//   agents: [alice]              # only these lanes
//   ---
// Blueprints are looked for in the user's folder (<data>/blueprints) first, then in the ones that
// ship with the app. The allocator places a spec only on a lane that fits its blueprint.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { RUNNER_PRESETS, type RunnerPreset } from '../../../../shared/domain'

export interface BlueprintNeeds {
  runners?: RunnerPreset[]
  agents?: string[]
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,79}$/i
const MAX_BYTES = 256 * 1024

/** The app's own: the `blueprints` folder at the package root, from source or from a build. */
const shippedBlueprints: string | undefined = (() => {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let up = 0; up < 5; up++, dir = dirname(dir)) {
    if (existsSync(join(dir, 'blueprints', 'README.md'))) return join(dir, 'blueprints')
  }
  return undefined
})()

/** The folders blueprints are read from, the user's first. */
export function blueprintDirs(dataDir: string): string[] {
  const mine = join(dataDir, 'blueprints')
  return shippedBlueprints ? [mine, shippedBlueprints] : [mine]
}

/** A blueprint's needs, or why they cannot be known (which the spec waits on, saying so). */
export function blueprintNeeds(dirs: string[], name: string): BlueprintNeeds | { problem: string } {
  if (!NAME.test(name)) return { problem: `blueprint "${name}" is not a blueprint name` }
  for (const dir of dirs) {
    const file = join(dir, `${name}.md`)
    if (!existsSync(file)) continue
    try {
      const text = readFileSync(file, 'utf8')
      if (text.length > MAX_BYTES) return { problem: `blueprint ${file} is larger than 256 KB` }
      return parseNeeds(text, file)
    } catch (error) {
      return { problem: `blueprint ${file} cannot be read: ${(error as Error).message}` }
    }
  }
  return { problem: `no blueprint named "${name}" in ${dirs.join(' or ')}` }
}

/** `runners:` and `agents:` from the frontmatter, as `[a, b]`, `a, b` or a `- a` list. */
export function parseNeeds(
  text: string,
  file = 'the blueprint',
): BlueprintNeeds | { problem: string } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  if (lines[0]?.trim() !== '---') return {}
  const end = lines.indexOf('---', 1)
  if (end < 0) return { problem: `${file}: its frontmatter has no closing ---` }
  const lists = new Map<string, string[]>()
  let open: string[] | undefined
  for (const line of lines.slice(1, end)) {
    const item = /^\s+-\s*(.+?)\s*$/.exec(line)
    if (item && open) {
      open.push(unquote(item[1]!))
      continue
    }
    const entry = /^([A-Za-z_]+):\s*(.*?)\s*$/.exec(line)
    open = undefined
    if (!entry) continue
    const [, key, value] = entry
    const words = value!
      .replace(/^\[(.*)\]$/, '$1')
      .split(',')
      .map((word) => unquote(word.trim()))
      .filter(Boolean)
    lists.set(key!, words)
    if (value === '') open = words
  }
  const needs: BlueprintNeeds = {}
  const runners = lists.get('runners')
  if (runners?.length) {
    const unknown = runners.find((r) => !(RUNNER_PRESETS as readonly string[]).includes(r))
    if (unknown)
      return {
        problem: `${file}: runners lists "${unknown}", not one of ${RUNNER_PRESETS.join(', ')}`,
      }
    needs.runners = runners as RunnerPreset[]
  }
  const agents = lists.get('agents')
  if (agents?.length) needs.agents = agents
  return needs
}

function unquote(word: string): string {
  return word.replace(/^(['"])(.*)\1$/, '$2')
}

/** "its blueprint needs a claude or codex lane"; empty when it asks nothing. */
export function describeNeeds(needs: BlueprintNeeds): string {
  return [
    needs.agents && `its blueprint runs only on ${needs.agents.join(' or ')}`,
    needs.runners && `its blueprint needs a ${needs.runners.join(' or ')} lane`,
  ]
    .filter(Boolean)
    .join('; ')
}

/** Whether a lane fits, and if not why: "its blueprint needs a claude or codex lane". */
export function misfit(
  needs: BlueprintNeeds,
  lane: { agent: string; runner: RunnerPreset },
): string | null {
  if (needs.agents && !needs.agents.includes(lane.agent)) {
    return `its blueprint runs only on ${needs.agents.join(' or ')}`
  }
  if (needs.runners && !needs.runners.includes(lane.runner)) {
    return `its blueprint needs a ${needs.runners.join(' or ')} lane`
  }
  return null
}
