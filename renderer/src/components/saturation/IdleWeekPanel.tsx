// "Idle quota this week" in plain numbers: per agent, what its binding window left unused over the
// last 7 days, in that window's own unit; the total; and the agents that have no windows to measure.
import { formatAge } from '../../../../shared/format'
import { DAY_MS, type Saturation } from '../../../../shared/saturation'
import { formatQuotaAmount } from '../../../../shared/quotas'
import { seriesColor } from './chartColors'
import { describeUsage, formatShare, idleOfCapacity, idlePerWindow } from './idleWording'

function agentColor(saturation: Saturation, agent: string): string {
  return seriesColor(saturation.agents.findIndex((a) => a.agent === agent))
}

export function IdleWeekPanel({ saturation }: { saturation: Saturation }) {
  const { week } = saturation
  const rangeDays = Math.round((saturation.to - saturation.from) / DAY_MS)
  const withoutWindows = saturation.agents.filter((a) => !a.utilization)
  return (
    <aside className="idle-week" aria-labelledby="idle-week-title" data-testid="idle-week">
      <h3 id="idle-week-title" className="idle-week-title">
        Idle quota this week
      </h3>
      <p className="idle-week-note">
        The last 7 days, in each agent’s own units: what its tightest quota window allowed and
        nobody used.
      </p>
      {week.idleShare !== null && (
        <div className="idle-week-total" data-testid="idle-total">
          <span className="idle-week-share">{formatShare(week.idleShare)}</span>
          <span>
            of all capacity left idle
            {week.totals.length > 0 && (
              <span className="idle-week-sub">
                {week.totals.map((t) => `${formatQuotaAmount(t.unit, t.idle)}`).join(' · ')} unused
              </span>
            )}
          </span>
        </div>
      )}
      {week.agents.length === 0 && (
        <p className="idle-agent-sub">
          No agent has a quota window yet: there is no quota to count.
        </p>
      )}
      <ul className="idle-week-agents">
        {week.agents.map(({ agent, since, binding, windows }) => (
          <li key={agent} className="idle-agent" data-testid="idle-agent" data-agent={agent}>
            <div className="idle-agent-head">
              <span
                className="saturation-swatch"
                style={{ background: agentColor(saturation, agent) }}
                aria-hidden="true"
              />
              <strong className="idle-agent-name">{agent}</strong>
              <span className="idle-agent-share" data-testid="idle-share">
                {formatShare(binding.idleShare)} idle
              </span>
            </div>
            <div className="idle-meter" aria-hidden="true">
              <span style={{ width: `${Math.min(100, (1 - binding.idleShare) * 100)}%` }} />
            </div>
            <p className="idle-agent-line" data-testid="idle-per-window">
              {idlePerWindow(binding)} left unused on average
            </p>
            <p className="idle-agent-sub">
              {idleOfCapacity(binding)}{' '}
              {since > saturation.week.from
                ? `since the lane was added ${formatAge(since, saturation.now)}`
                : 'over the week'}
            </p>
            {windows
              .filter((w) => w.window + w.unit !== binding.window + binding.unit)
              .map((w) => (
                <p key={`${w.window}:${w.unit}`} className="idle-agent-sub">
                  Also {w.window} {w.unit}: {formatShare(w.idleShare)} idle ({idlePerWindow(w)})
                </p>
              ))}
          </li>
        ))}
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
                <code className="code idle-agent-command">
                  factory agent set {a.agent} --quota 5h:tokens:2000000
                </code>
              </li>
            ))}
          </ul>
        </div>
      )}
    </aside>
  )
}
