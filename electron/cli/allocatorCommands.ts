// The `factory` commands for the queue the allocator serves: queueing a spec, one allocator round
// by hand, and the factory-wide settings (auto-dispatch, the global cap).
import {
  describeRound,
  noRoomWords,
  nothingStarted,
  placementWords,
  type AllocationRound,
} from '../../shared/allocation'
import type { FactorySettings } from '../../shared/domain'
import { none, one, str } from './args'
import type { Command } from './commands'

export function printRound(round: AllocationRound): string {
  const lines: string[] = []
  const verb = round.dryRun ? 'would dispatch' : 'dispatched'
  for (const d of round.dispatched) {
    const outcome = d.refused ? `refused: ${d.refused}` : d.run ? `as ${d.run}` : ''
    lines.push(`${d.spec} → ${placementWords(d)}${outcome ? ` ${outcome}` : ''}  ${d.title}`)
  }
  for (const w of round.waiting) lines.push(`${w.spec} not now: ${w.reason}  ${w.title}`)
  if (round.moreWaiting > 0) lines.push(`… and ${round.moreWaiting} more waiting`)
  const started = round.dispatched.filter((d) => !d.refused).length
  const waiting = round.waiting.length + round.moreWaiting
  if (started === 0 && waiting === 0 && round.dispatched.length === 0)
    return describeRound(round, 'queue a spec with factory spec queue ID')
  // The board's words: "Nothing started: alice paused until 18:00 · gordon busy (1/1 running)".
  const noRoom = started === 0 ? noRoomWords(round) : null
  if (noRoom) lines.push(`${nothingStarted(round)}: ${noRoom}`)
  lines.push(`${round.dryRun ? 'Dry run: ' : ''}${started} ${verb}, ${waiting} waiting`)
  return lines.join('\n')
}

function printSettings(settings: FactorySettings): string {
  return [
    `auto-dispatch: ${settings.autoDispatch ? 'on' : 'off'}`,
    `max runs at once: ${settings.maxConcurrentRuns ?? 'no global limit'}`,
  ].join('\n')
}

export const allocatorCommands: Record<string, Command> = {
  'spec queue': {
    usage: 'factory spec queue ID [--agent NAME]',
    summary: 'queue a spec for the allocator (Unassigned), or for one lane with --agent',
    options: { agent: { type: 'string' } },
    run(c) {
      const spec = c.call('spec/queue', { id: one(c, 'ID'), agent: str(c.values.agent) ?? null })
      const where = spec.agent ? `${spec.agent}'s lane` : 'the allocator (Unassigned)'
      const waits = spec.waitingOn.length ? `; waits for ${spec.waitingOn.join(', ')} to ship` : ''
      return { json: spec, text: `Queued ${spec.id} for ${where}${waits}` }
    },
  },
  allocate: {
    usage: 'factory allocate [--dry-run] [--json]',
    summary: 'one allocator round: queued specs to the lanes with the most headroom; prints why',
    options: { 'dry-run': { type: 'boolean' } },
    run(c) {
      none(c)
      c.engine().recoverRuns()
      const round = c.call('allocator/round', { dryRun: Boolean(c.values['dry-run']) })
      return { json: round, text: printRound(round) }
    },
  },
  settings: {
    usage: 'factory settings [--auto-dispatch on|off] [--max-runs N|none]',
    summary: 'show or change factory-wide settings',
    options: { 'auto-dispatch': { type: 'string' }, 'max-runs': { type: 'string' } },
    run(c) {
      const auto = str(c.values['auto-dispatch'])
      if (auto !== undefined && !['on', 'off'].includes(auto)) {
        c.usage(`--auto-dispatch takes on or off, not "${auto}"`)
      }
      const max = str(c.values['max-runs'])
      if (max !== undefined && max !== 'none' && !/^\d+$/.test(max)) {
        c.usage(`--max-runs takes a whole number or none, not "${max}"`)
      }
      const settings =
        auto === undefined && max === undefined
          ? c.call('settings/get', {})
          : c.call('settings/set', {
              ...(auto !== undefined ? { autoDispatch: auto === 'on' } : {}),
              ...(max !== undefined
                ? { maxConcurrentRuns: max === 'none' ? null : Number(max) }
                : {}),
            })
      return { json: settings, text: printSettings(settings) }
    },
  },
}
