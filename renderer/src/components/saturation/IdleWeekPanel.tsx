// "This week": where each lane's capacity went over the last 7 days — used, idle (unused while the
// lane could have worked: the waste) and blocked (unused while it was held, paused, disabled or had
// every run slot taken) — in shares of its time and, for idle, in its tightest window's own unit; and the lanes without
// windows, which have no capacity to measure.
import type { AgentIdleWeek, Saturation } from '../../../../shared/saturation'
import { holdReasonWords } from '../../board/wording'
import { useUi } from '../../stores/ui'
import { formatAge, formatDuration, formatTime } from '../../time'
import { seriesColor } from './chartColors'
import { describeUsage, formatShare, idlePerWindow, weekSource } from './idleWording'

function agentColor(saturation: Saturation, agent: string): string {
  return seriesColor(saturation.agents.findIndex((a) => a.agent === agent))
}

// To the minute: "2h", not "2h 5s".
const minutes = (ms: number) => formatDuration(Math.max(60_000, Math.round(ms / 60_000) * 60_000))

/**
 * "Blocked 2h this week; held now · usage limit", "Blocked 5h this week (2 holds, last ended
 * 14:05; every run slot taken 3h)": a hold first, since it needs the person; a full cap is the
 * lane's own setting.
 */
function blockedLine(week: AgentIdleWeek, now: number): string | null {
  if (week.blockedMs <= 0) return null
  const spent = minutes(week.blockedMs)
  const held = week.holds.filter((hold) => hold.kind !== 'cap')
  const current = held.find((hold) => hold.current)
  if (current) {
    const what = current.kind === 'disabled' ? 'disabled' : 'held'
    const why = holdReasonWords(current.reason)
    return `Blocked ${spent} this week; ${what} now${why ? ` · ${why}` : ''}`
  }
  const atCap = week.holds.filter((hold) => hold.kind === 'cap')
  if (atCap.some((hold) => hold.current)) {
    return `Blocked ${spent} this week; every run slot taken now`
  }
  const parts: string[] = []
  if (held.length) {
    parts.push(
      `${held.length} hold${held.length === 1 ? '' : 's'}, last ended ${formatTime(held.at(-1)!.to, now)}`,
    )
  }
  const capMs = atCap.reduce((sum, hold) => sum + hold.to - hold.from, 0)
  if (capMs > 0) parts.push(`every run slot taken ${minutes(capMs)}`)
  return `Blocked ${spent} this week (${parts.join('; ')})`
}

function CapacityBar({ week }: { week: AgentIdleWeek }) {
  const part = (share: number) => `${Math.max(0, Math.min(100, share * 100))}%`
  return (
    <div
      className="capacity-bar"
      role="img"
      aria-label={`used ${formatShare(week.usedShare)}, idle ${formatShare(week.idleShare)}, blocked ${formatShare(week.blockedShare)}`}
    >
      <span className="capacity-bar-used" style={{ width: part(week.usedShare) }} />
      <span className="capacity-bar-idle" style={{ width: part(week.idleShare) }} />
      <span className="capacity-bar-blocked" style={{ width: part(week.blockedShare) }} />
    </div>
  )
}

function setQuota(agent: string) {
  useUi.getState().closeSaturation()
  useUi.getState().openDialog({ kind: 'agent', name: agent })
}

export function IdleWeekPanel({ saturation, days }: { saturation: Saturation; days: number }) {
  const { week } = saturation
  const rangeDays = days
  const withoutWindows = saturation.agents.filter((a) => !a.utilization)
  return (
    <aside className="idle-week" aria-labelledby="idle-week-title" data-testid="idle-week">
      <h3 id="idle-week-title" className="idle-week-title">
        This week
      </h3>
      <p className="idle-week-note">
        The last 7 days, as the lane meters read them: <strong>used</strong>, <strong>idle</strong>{' '}
        (room left while the lane could work) and <strong>blocked</strong> (room it could not use:
        held, paused, disabled, or every run slot taken).
      </p>
      {week.idleShare !== null && (
        <div className="idle-week-total" data-testid="idle-total">
          <span className="idle-week-share">{formatShare(week.idleShare)}</span>
          <span>
            of all capacity went unused while lanes could work
            <span className="idle-week-sub" data-testid="blocked-total">
              {formatShare(week.blockedShare ?? 0)} more was blocked
            </span>
          </span>
        </div>
      )}
      {week.agents.length === 0 && (
        <p className="idle-agent-sub">
          No agent has a quota window yet: there is no capacity to count.
        </p>
      )}
      <ul className="idle-week-agents">
        {week.agents.map((agentWeek) => {
          const { agent, since, binding } = agentWeek
          const blocked = blockedLine(agentWeek, saturation.now)
          return (
            <li key={agent} className="idle-agent" data-testid="idle-agent" data-agent={agent}>
              <div className="idle-agent-head">
                <span
                  className="saturation-swatch"
                  style={{ background: agentColor(saturation, agent) }}
                  aria-hidden="true"
                />
                <strong className="idle-agent-name">{agent}</strong>
                <span className="idle-agent-share" data-testid="idle-share">
                  {formatShare(agentWeek.idleShare)} idle
                </span>
              </div>
              <CapacityBar week={agentWeek} />
              <p className="idle-agent-shares" data-testid="idle-shares">
                {(['used', 'idle', 'blocked'] as const).map((part, i) => (
                  <span key={part} className="idle-agent-part">
                    {i > 0 && ' · '}
                    <span className={`key key-${part}`} aria-hidden="true" />
                    {part} {formatShare(agentWeek[`${part}Share`])}
                  </span>
                ))}
              </p>
              <p className="idle-agent-line" data-testid="idle-per-window">
                {idlePerWindow(binding)} left unused on average
              </p>
              {blocked && (
                <p className="idle-agent-sub idle-agent-blocked" data-testid="idle-blocked">
                  {blocked}
                </p>
              )}
              <p className="idle-agent-sub" data-testid="idle-source">
                {weekSource(agentWeek)}
                {since > saturation.week.from
                  ? `; since the lane began ${formatAge(since, saturation.now)}`
                  : ''}
              </p>
            </li>
          )
        })}
      </ul>
      {withoutWindows.length > 0 && (
        <div className="idle-week-unmeasured" data-testid="no-windows">
          <h4 className="idle-week-subtitle">No quota windows</h4>
          <p className="idle-week-note">
            Without a limit there is no capacity to compare with, so these agents show usage, not
            utilization.
          </p>
          <ul className="idle-week-agents">
            {withoutWindows.map((a) => (
              <li key={a.agent} className="idle-agent" data-testid="no-windows-agent">
                <strong className="idle-agent-name">{a.agent}</strong>
                <p className="idle-agent-sub">
                  {describeUsage(a.used) === 'nothing'
                    ? `No usage in the last ${rangeDays} days`
                    : `Last ${rangeDays} days: ${describeUsage(a.used)}`}
                </p>
                <button
                  type="button"
                  className="link-button idle-agent-action"
                  onClick={() => setQuota(a.agent)}
                >
                  Give {a.agent} a quota window
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </aside>
  )
}
