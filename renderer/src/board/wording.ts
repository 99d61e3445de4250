// Engine messages as the app shows them. The engine speaks to every host alike, so its refusals
// carry the CLI's fix ("(factory agent set bob --enabled yes)"); in the app that is noise next to
// the buttons it offers instead.
import { laneAvailability, runningWords } from '../../../shared/availability'
import type { RunnerPreset } from '../../../shared/domain'
import type { AgentUsage } from '../../../shared/quotas'
import type { FailureClass, Run, Usage } from '../../../shared/runs'
import { formatTime } from '../time'

/**
 * The message without the CLI commands in it: "(factory …)", "(see: factory …)", "; fix it:
 * factory …"; a lane setting to change is said as such ("give it one in the lane’s settings").
 */
export function withoutCliHints(message: string): string {
  return message
    .replace(/\s*\((?:[^()]*?:\s*)?factory [^()]*\)/g, '')
    .replace(/;\s*fix it:\s*factory [^;]*/g, '')
    .replace(/:\s*factory agent (?:set|add) \S+ [^;()]*/g, ' in the lane’s settings')
    .replace(/\bthe --bin path (\S+)/g, 'the CLI path $1 in the lane’s settings')
}

/**
 * An engine refusal as the drawer shows it: no CLI fix, and specs by their titles, runs as "its
 * run" ("“Signup” waits for “Billing API” to ship; queue it instead and it starts by itself").
 */
export function refusalWords(message: string, titleOf: (id: string) => string | undefined): string {
  return withoutCliHints(message)
    .replace(/\bs_[1-9]\d*\b/g, (id) => {
      const title = titleOf(id)
      return title ? `“${title}”` : 'another spec'
    })
    .replace(/ as r_[1-9]\d*\b/g, '')
    .replace(/\br_[1-9]\d*\b/g, 'its run')
}

/** A failure class as a person says it. */
export const FAILURE_WORDS: Record<FailureClass, string> = {
  rate_limited: 'rate limit',
  quota_exhausted: 'usage limit',
  auth_expired: 'login expired',
  overloaded: 'service overloaded',
  bad_output: 'unreadable output',
  max_turns: 'turn limit reached',
  timeout: 'timed out',
  cancelled: 'cancelled',
  disk_full: 'disk full',
  crashed: 'crashed',
}

/** What runs a lane's work, by name: the `command` preset runs the user's own program. */
export const RUNNER_WORDS: Record<RunnerPreset, string> = {
  claude: 'Claude Code',
  codex: 'Codex',
  gptme: 'gptme',
  command: 'your command',
}

/** A runner by name; one the app does not know (a newer engine's) as the engine calls it. */
export function runnerWords(runner: string): string {
  return RUNNER_WORDS[runner as RunnerPreset] ?? runner
}

/** How a finished process ended, in words: "Finished", "Stopped with an error (code 2)". */
export function exitWords(exitCode: number | null, signal: string | null): string | null {
  if (signal) return 'Stopped' // the failure beside it says why (cancelled, timed out)
  if (exitCode === null) return null
  return exitCode === 0 ? 'Finished' : `Stopped with an error (code ${exitCode})`
}

/**
 * A run as a person names it: "bob’s run, started 14:05" ("…, waiting since 14:05" before it
 * starts). Its id stays in the address and the run view's Copy link, not in headings or text.
 */
export function runName(run: Pick<Run, 'agent' | 'startedAt' | 'createdAt'>, now: number): string {
  return run.startedAt
    ? `${run.agent}’s run, started ${formatTime(run.startedAt, now)}`
    : `${run.agent}’s run, waiting since ${formatTime(run.createdAt, now)}`
}

/**
 * The tokens a run's quota windows count, exactly as the lane meters sum its `usage` rows: input +
 * output + cache writes, cache reads left out (electron/core/software/capacity/quotas.ts,
 * usage_buckets' triggers, runCost.ts say the same sum in SQL).
 */
export function quotaTokens(usage: Usage): number {
  return usage.inputTokens + usage.outputTokens + usage.cacheWriteTokens
}

/**
 * Why a lane is held, in words: the factory's own holds start with the failure class that caused
 * them ("quota_exhausted: Claude AI usage limit reached|1760…"), a person's are their own words.
 */
export function holdReasonWords(reason: string | null): string | null {
  if (!reason) return null
  const match = /^([a-z_]+):/.exec(reason)
  const failure = match?.[1] as FailureClass | undefined
  if (failure && failure in FAILURE_WORDS) return FAILURE_WORDS[failure]
  // The breaker's hold: "3 runs in a row failed (last: …) — check the lane, then resume it".
  const inARow = /^(\d+ runs in a row failed)/.exec(reason)
  return inARow ? inARow[1]! : reason
}

/**
 * A lane that cannot start a run now, as its header and a hovered drop say it: "Paused until
 * 18:53 · usage limit", "Full until 14:05 · 5h runs", "At its limit · 1/1 running". Null: it can.
 */
export function laneRefusal(usage: AgentUsage, now: number = Date.now()): string | null {
  const availability = laneAvailability(usage)
  if (availability.ok) return null
  const until = availability.until ? ` until ${formatTime(availability.until, now)}` : ''
  switch (availability.kind) {
    case 'disabled':
      return 'Disabled'
    case 'cap':
      return `At its limit · ${runningWords(usage)}`
    case 'quota': {
      const full = usage.windows.find((window) => window.utilization >= 1)
      return `Full${until}${full ? ` · ${full.window} ${full.unit} used up` : ''}`
    }
    case 'paused': {
      const why = holdReasonWords(usage.pauseReason)
      return `Paused${until}${why ? ` · ${why}` : ''}`
    }
  }
}

/**
 * Who chose a run's lane, and why: "The allocator chose bob: 6% of 5h runs used, 0/2 running ·
 * alice paused until 18:00". Null: a person chose it.
 */
export function placementWords(placement: string | null): string | null {
  if (!placement) return null
  const text = withoutCliHints(placement)
  // The engine's reason starts with the lane it chose: "to bob: 6% of 5h runs used, …".
  const chosen = /^to ([^:]+): (.*)$/s.exec(text)
  return chosen ? `The allocator chose ${chosen[1]}: ${chosen[2]}` : `The allocator chose: ${text}`
}

/**
 * Why a drop on this lane would be refused, or null. A remote lane's queue takes any number of
 * specs from a person (its drainer takes them in turn): being at its cap is no reason there.
 */
export function dropRefusal(
  usage: AgentUsage,
  remoteQueue: boolean,
  now: number = Date.now(),
): string | null {
  if (remoteQueue) {
    const availability = laneAvailability(usage)
    if (!availability.ok && availability.kind === 'cap') return null
  }
  return laneRefusal(usage, now)
}
