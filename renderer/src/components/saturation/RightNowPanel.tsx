// "Right now": where work can go. Each lane as its header and the allocator read it (the same
// `usage/get` figures, the same availability), the lanes that can take work first, most room
// first, as the allocator would choose; then the full ones, then the blocked ones and why.
import {
  laneAvailability,
  laneLoad,
  peakUtilization,
  runningWords,
} from '../../../../shared/availability'
import {
  describeUseSource,
  sourceOfUse,
  type AgentUsage,
  type WindowUsage,
} from '../../../../shared/quotas'
import { holdReasonWords } from '../../board/wording'
import { formatTime } from '../../time'
import { useCapacity } from '../../stores/capacity'
import { formatShare } from './idleWording'

type Standing = 'open' | 'busy' | 'blocked'

interface LaneNow {
  usage: AgentUsage
  standing: Standing
  /** "Can take 2 more runs", "Blocked until 18:00 · usage limit", "Full until 14:05". */
  state: string
  /** "83% free of its 5h tokens, from this factory's runs". */
  room: string | null
  peak: number
}

function fullest(usage: AgentUsage): WindowUsage | undefined {
  return usage.windows.reduce<WindowUsage | undefined>(
    (top, w) => (!top || w.utilization > top.utilization ? w : top),
    undefined,
  )
}

export function laneNow(usage: AgentUsage, now: number = Date.now()): LaneNow {
  const availability = laneAvailability(usage)
  const top = fullest(usage)
  // Room is what an open lane offers; a held one's room is not on offer, so its use is said instead.
  const room = !top
    ? 'no quota windows: its room is not measured'
    : availability.ok
      ? `${formatShare(Math.max(0, 1 - top.utilization))} free of its ${top.window} ${top.unit}, ${describeUseSource(sourceOfUse(top))}`
      : `${top.window} ${top.unit} ${formatShare(top.utilization)} used, ${describeUseSource(sourceOfUse(top))}`
  const until =
    !availability.ok && availability.until ? ` until ${formatTime(availability.until, now)}` : ''
  const base = { usage, room, peak: peakUtilization(usage) }
  if (availability.ok) {
    const runs = availability.free === 1 ? '1 more run' : `${availability.free} more runs`
    return { ...base, standing: 'open', state: `Can take ${runs}` }
  }
  switch (availability.kind) {
    case 'cap':
      return {
        ...base,
        standing: 'busy',
        state: `Busy · ${runningWords(usage)}`,
      }
    case 'quota':
      return { ...base, standing: 'busy', state: `Full${until}` }
    case 'disabled':
      return { ...base, standing: 'blocked', state: 'Blocked · disabled' }
    case 'paused': {
      const why = holdReasonWords(usage.pauseReason)
      return { ...base, standing: 'blocked', state: `Blocked${until}${why ? ` · ${why}` : ''}` }
    }
  }
}

const ORDER: Record<Standing, number> = { open: 0, busy: 1, blocked: 2 }

/** The allocator's order among open lanes: most headroom first, then the emptier, then by name. */
export function lanesNow(usages: AgentUsage[]): LaneNow[] {
  return usages
    .map((usage) => laneNow(usage))
    .sort(
      (a, b) =>
        ORDER[a.standing] - ORDER[b.standing] ||
        a.peak - b.peak ||
        laneLoad(a.usage) - laneLoad(b.usage) ||
        a.usage.agent.localeCompare(b.usage.agent),
    )
}

export function RightNowPanel({ colorOf }: { colorOf(agent: string): string | null }) {
  const byAgent = useCapacity((s) => s.byAgent)
  const lanes = lanesNow(Object.values(byAgent))
  if (!lanes.length) return null
  const open = lanes.filter((l) => l.standing === 'open').length
  return (
    <section className="right-now" aria-labelledby="right-now-title" data-testid="right-now">
      <h3 id="right-now-title" className="right-now-title">
        Right now
        <span className="right-now-summary">
          {open === 0
            ? 'no lane can take work'
            : `${open} of ${lanes.length} lane${lanes.length === 1 ? '' : 's'} can take work`}
        </span>
      </h3>
      <ul className="right-now-lanes">
        {lanes.map(({ usage, standing, state, room }) => {
          const color = colorOf(usage.agent)
          return (
            <li
              key={usage.agent}
              className={`right-now-lane right-now-${standing}`}
              data-testid="right-now-lane"
              data-agent={usage.agent}
              data-standing={standing}
            >
              <span className="right-now-head">
                {color && (
                  <span
                    className="saturation-swatch"
                    style={{ background: color }}
                    aria-hidden="true"
                  />
                )}
                <strong className="right-now-name">{usage.agent}</strong>
                <span className="right-now-state" data-testid="right-now-state">
                  {state}
                </span>
              </span>
              <span className="right-now-room" data-testid="right-now-room">
                {room}
              </span>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
