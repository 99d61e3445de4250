// The fixture agents' runs, recorded as a run's supervisor records them (claimRun, recordStarted,
// recordUsage, recordOutcome, then the holding reactor) but at simulated minutes instead of from a
// child process. Each run spends its spec's tokens evenly over its minutes against its lane's
// subscription; when the subscription has no more room the run fails with the text Claude Code
// prints, read by the engine's own failure classifier, so the class and reset time are the engine's
// reading of it.
import type { Ledger } from '../../electron/core/db/ledger'
import { followSoftwareReactors } from '../../electron/core/software/capacity/holding'
import { classifyFailure } from '../../electron/core/software/presets/failures'
import type { SupervisorStandby } from '../../electron/core/software/runs/launch'
import {
  claimRun,
  recordOutcome,
  recordStarted,
  recordUsage,
  requireRunRow,
  type RunOutcome,
} from '../../electron/core/software/runs/runs'
import type { Subscription } from './subscription'

/** A supervisor writes usage every second; a simulated run every twenty minutes (fewer rows). */
const FLUSH_MINUTES = 20

export interface RunWork {
  tokens: number
  minutes: number
}

interface Job extends RunWork {
  runId: string
  agent: string
  elapsed: number
  booked: number
}

export class FixtureRuns {
  private readonly handedOver: string[] = []
  private jobs: Job[] = []

  constructor(
    private readonly ledger: Ledger,
    private readonly subscriptions: Map<string, Subscription>,
    private readonly workOf: (specId: string) => RunWork,
  ) {}

  /** Stands in for the warm supervisor a long-lived host keeps: dispatch hands it the run. */
  standby(): SupervisorStandby {
    const standby: Pick<SupervisorStandby, 'assign' | 'close'> = {
      assign: ({ runId }) => {
        this.handedOver.push(runId)
        return process.pid
      },
      close: () => undefined,
    }
    // The class's private fields make it nominal; dispatch only calls these two.
    return standby as SupervisorStandby
  }

  /** Takes a run that did not come through dispatch (the round-robin writes its own rows). */
  handOver(runId: string): void {
    this.handedOver.push(runId)
  }

  /** Runs handed over this minute start, as a supervisor claims its run and starts the agent. */
  start(): void {
    const self = { supervisorPid: process.pid, supervisorIdentity: null }
    for (const runId of this.handedOver.splice(0)) {
      if (!claimRun(this.ledger, runId, self)) continue
      recordStarted(this.ledger, runId, { ...self, childPid: process.pid, childIdentity: null })
      const row = requireRunRow(this.ledger, runId)
      this.jobs.push({ runId, agent: row.agent, elapsed: 0, booked: 0, ...this.workOf(row.specId) })
    }
  }

  /** `minutes` more of every run; those that ended are recorded and leave. */
  advance(now: number, minutes: number): void {
    this.jobs = this.jobs.filter((job) => {
      const first = job.elapsed === 0
      job.elapsed += minutes
      const finished = job.elapsed >= job.minutes
      // The first request tells at once whether the subscription has room at all.
      if (!first && job.elapsed % FLUSH_MINUTES !== 0 && !finished) return true
      const owed = Math.round((job.tokens * Math.min(job.elapsed, job.minutes)) / job.minutes)
      const subscription = this.subscriptions.get(job.agent)!
      const wanted = owed - job.booked
      const allowed = Math.max(0, Math.min(wanted, subscription.headroom(now)))
      if (allowed > 0) {
        subscription.book(now, allowed)
        recordUsage(this.ledger, job.runId, tokenUsage(allowed))
        job.booked += allowed
      }
      if (allowed < wanted) {
        const text = `Claude AI usage limit reached|${Math.ceil(subscription.resetAt(now) / 1000)}`
        this.end(job, { state: 'failed', failure: classifyFailure(text, now)! }, text)
        return false
      }
      if (!finished) return true
      const artifact = {
        name: job.runId,
        version: '1.0.0',
        url: `https://example.test/${job.runId}`,
        changelog: 'Shipped in a simulated week.',
        screenshots: [],
      }
      this.end(job, { state: 'shipped', artifact }, null)
      return false
    })
  }

  private end(job: Job, outcome: RunOutcome, logTail: string | null): void {
    const code = outcome.state === 'failed' ? 1 : 0
    recordOutcome(this.ledger, 'supervisor', job.runId, outcome, { code, signal: null, logTail })
    // As a supervisor does after its outcome: a limit holds the lane even with no app open.
    followSoftwareReactors(this.ledger)
  }
}

/** Tokens as quota windows count them (input + output + cache writes), split as a CLI reports. */
function tokenUsage(tokens: number) {
  const outputTokens = Math.floor(tokens / 5)
  return {
    inputTokens: tokens - outputTokens,
    outputTokens,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costMicros: 0,
    turns: 1,
  }
}
