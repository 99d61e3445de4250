// Whether a cell would refuse a dropped card, and why: one answer for the cell that lights up, the
// note beside the pointer and the move itself, so what a hovered lane says is what a drop does.
import type { Agent, Placement } from '../../../shared/domain'
import type { AgentUsage } from '../../../shared/quotas'
import { dropRefusal } from './wording'

/**
 * Why a drop on `place` would be refused now ("At its limit · 1/1 running"), or null: only a
 * lane's Software cell starts work, and a remote lane's queue takes a person's spec at its cap.
 */
export function refusalAt(
  place: Placement,
  agents: readonly Pick<Agent, 'name' | 'queue'>[],
  byAgent: Readonly<Record<string, AgentUsage>>,
): string | null {
  if (place.stage !== 'software' || place.agent === null) return null
  const usage = byAgent[place.agent]
  if (!usage) return null
  const remoteQueue = agents.some((a) => a.name === place.agent && a.queue !== null)
  return dropRefusal(usage, remoteQueue)
}
