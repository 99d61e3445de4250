// Whether a lane can take a run now, and if not why and until when: one answer for dispatch's
// refusals, the allocator's choices and the lane header, so the three never disagree.
import { formatClock } from './format'
import { describeWindow, type AgentUsage } from './quotas'

export type Availability =
  | { ok: true; free: number }
  | {
      ok: false
      kind: 'disabled' | 'paused' | 'cap' | 'quota'
      /** Reads after the agent's name: "bob is paused until 14:05 (quota_exhausted)". */
      reason: string
      /** When it frees up by itself (epoch ms); null: it needs the user, or a run to end. */
      until: number | null
    }

/**
 * Runs it may start now: its cap less what runs and what waits in its queue (the allocator keeps
 * no more than the cap in a remote queue, so work stays movable), one at a time while probing.
 */
export function freeSlots(usage: AgentUsage): number {
  const cap = usage.probing ? Math.min(1, usage.maxConcurrent) : usage.maxConcurrent
  return Math.max(0, cap - usage.running - usage.waiting)
}

/** How full its slots are, 0..1: what runs and what waits in its queue, against its cap. */
export function laneLoad(usage: AgentUsage): number {
  return (usage.running + usage.waiting) / usage.maxConcurrent
}

/** "1/2 running", and for a remote lane with a queue "0/1 running · 2 waiting". */
export function runningWords(usage: AgentUsage): string {
  const running = `${usage.running}/${usage.maxConcurrent} running`
  return usage.waiting > 0 ? `${running} · ${usage.waiting} waiting` : running
}

export function laneAvailability(usage: AgentUsage): Availability {
  const name = usage.agent
  if (!usage.enabled) {
    return {
      ok: false,
      kind: 'disabled',
      reason: `is disabled (factory agent set ${name} --enabled yes)`,
      until: null,
    }
  }
  if (usage.pausedIndefinitely) {
    return {
      ok: false,
      kind: 'paused',
      reason: `is paused (${usage.pauseReason}); resume it first`,
      until: null,
    }
  }
  if (usage.pausedUntil !== null) {
    return {
      ok: false,
      kind: 'paused',
      reason: `is paused until ${formatClock(usage.pausedUntil)} (${usage.pauseReason})`,
      until: usage.pausedUntil,
    }
  }
  const full = usage.windows.find((window) => window.utilization >= 1)
  if (full) {
    const frees = full.freesAt ? `; it frees up at ${formatClock(full.freesAt)}` : ''
    return {
      ok: false,
      kind: 'quota',
      reason: `has used ${describeWindow(full)}${frees}`,
      until: full.freesAt,
    }
  }
  const free = freeSlots(usage)
  if (free === 0) {
    const reason =
      usage.probing && usage.maxConcurrent > 1
        ? 'is trying one run after a quota hold; more start once it gets through'
        : `is at its limit of ${usage.maxConcurrent} run${usage.maxConcurrent === 1 ? '' : 's'} at once`
    return { ok: false, kind: 'cap', reason, until: null }
  }
  return { ok: true, free }
}

/** The busiest window's share used: 0 for an agent without quota windows. */
export function peakUtilization(usage: AgentUsage): number {
  let peak = 0
  for (const window of usage.windows) peak = Math.max(peak, window.utilization)
  return peak
}

/** Its fullest window (the first of equals), or undefined without windows. */
export function busiestWindow(usage: AgentUsage): AgentUsage['windows'][number] | undefined {
  let busiest = usage.windows[0]
  for (const window of usage.windows) {
    if (window.utilization > (busiest?.utilization ?? -1)) busiest = window
  }
  return busiest
}

/** Why the allocator chose a lane: "alice: 12% of 5h tokens used, 0/2 running". */
export function describeHeadroom(usage: AgentUsage): string {
  const running = runningWords(usage)
  const busiest = busiestWindow(usage)
  if (!busiest) return `${usage.agent}: no quota windows, ${running}`
  const percent = Math.round(busiest.utilization * 100)
  return `${usage.agent}: ${percent}% of ${busiest.window} ${busiest.unit} used, ${running}`
}
