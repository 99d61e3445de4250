// A lane header's capacity: runs against the cap, one meter per quota window (used of limit, when
// it frees up), and a hold in words — "Paused until 14:05" — with its reason on hover and for
// screen readers. Reads the same availability dispatch and the allocator use.
import { laneAvailability } from '../../../shared/availability'
import { formatClock, formatDuration } from '../../../shared/format'
import {
  formatUsedOf,
  type AgentUsage,
  type ReportedWindow,
  type WindowUsage,
} from '../../../shared/quotas'
import { holdReasonWords } from '../board/wording'
import { useCapacity } from '../stores/capacity'
import { useClock } from '../stores/clock'
import './capacity.css'

function until(at: number, now: number): string {
  return `${formatClock(at)} (in ${formatDuration(Math.max(60_000, at - now))})`
}

function HoldChip({ usage, now }: { usage: AgentUsage; now: number }) {
  const availability = laneAvailability(usage)
  if (availability.ok) {
    return usage.probing ? (
      <span
        className="hold hold-probe"
        title="After a quota hold, one run at a time until one gets through"
      >
        Probing
      </span>
    ) : null
  }
  if (availability.kind === 'cap') return null // the running count already says it
  const label =
    availability.kind === 'disabled'
      ? 'Disabled'
      : availability.kind === 'quota'
        ? availability.until
          ? `Full until ${formatClock(availability.until)}`
          : 'Full'
        : availability.until
          ? `Paused until ${formatClock(availability.until)}`
          : 'Paused'
  // A full window's figures are on its meter; a hold's reason is said only here.
  const reason = availability.kind === 'paused' ? holdReasonWords(usage.pauseReason) : null
  return (
    <span
      className={`hold hold-${availability.kind}`}
      data-testid="lane-hold"
      title={`${usage.agent} ${availability.reason}`}
    >
      {label}
      {reason && <span className="hold-reason">{reason}</span>}
      {availability.until && (
        <span className="visually-hidden">
          {' '}
          (in {formatDuration(Math.max(60_000, availability.until - now))})
        </span>
      )}
    </span>
  )
}

function WindowMeter({ window, now }: { window: WindowUsage; now: number }) {
  const percent = Math.round(window.utilization * 100)
  const level = percent >= 100 ? 'full' : percent >= 80 ? 'high' : 'ok'
  const used = formatUsedOf(window.unit, window.used, window.limit)
  const frees =
    window.freesAt && (window.used > 0 || window.reported)
      ? `frees ${until(window.freesAt, now)}`
      : null
  const reported = window.reported
    ? `; the subscription reports ${Math.round(window.reported.utilization * 100)}%`
    : ''
  return (
    <span
      className={`meter meter-${level}`}
      data-testid="lane-meter"
      title={`${window.window} ${window.unit}: ${used}${reported} (${percent}% counted)${frees ? `; ${frees}` : ''}`}
    >
      <span className="meter-label">
        {window.window} {window.unit}
      </span>
      <span
        className="meter-bar"
        role="meter"
        aria-label={`${window.window} ${window.unit} used`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.min(percent, 100)}
        aria-valuetext={`${percent}%, ${used}`}
      >
        <span className="meter-fill" style={{ width: `${Math.min(percent, 100)}%` }} />
      </span>
      <span className="meter-value">{percent}%</span>
      {window.reported && <span className="meter-source">reported</span>}
      {frees && window.utilization >= 0.5 && (
        <span className="meter-frees">frees {formatClock(window.freesAt!)}</span>
      )}
    </span>
  )
}

const REPORT_LABELS: Record<string, string> = {
  five_hour: '5h plan',
  seven_day: '7d plan',
  seven_day_opus: '7d Opus',
  seven_day_sonnet: '7d Sonnet',
}

/** Reported windows no quota window of the same length shows already. */
function unmatchedReports(usage: AgentUsage): ReportedWindow[] {
  const shown = new Set(usage.windows.filter((w) => w.reported).map((w) => w.reported!.window))
  return (usage.reports ?? []).filter((report) => !shown.has(report.window))
}

/** The subscription's own figure for a window the lane has no quota window for. */
function ReportMeter({ report, now }: { report: ReportedWindow; now: number }) {
  const percent = Math.round(report.utilization * 100)
  const level = percent >= 100 ? 'full' : percent >= 80 ? 'high' : 'ok'
  const label = REPORT_LABELS[report.window] ?? report.window
  const resets = report.resetsAt ? `; resets ${until(report.resetsAt, now)}` : ''
  return (
    <span
      className={`meter meter-${level}`}
      data-testid="lane-report"
      title={`${label}: the subscription reports ${percent}% used${resets}`}
    >
      <span className="meter-label">{label}</span>
      <span
        className="meter-bar"
        role="meter"
        aria-label={`${label} used, as the subscription reports it`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.min(percent, 100)}
      >
        <span className="meter-fill" style={{ width: `${Math.min(percent, 100)}%` }} />
      </span>
      <span className="meter-value">{percent}%</span>
      <span className="meter-source">reported</span>
    </span>
  )
}

export function LaneCapacity({ agent }: { agent: string }) {
  const usage = useCapacity((s) => s.byAgent[agent])
  const now = useClock((s) => s.now)
  if (!usage) return null
  return (
    <span className="lane-capacity" data-testid="lane-capacity">
      {usage.plan && (
        <span className="chip chip-faint lane-plan" title="The subscription's plan">
          {usage.plan}
        </span>
      )}
      <span
        className="lane-running"
        title={`${usage.running} of ${usage.maxConcurrent} runs at once`}
        data-testid="lane-running"
      >
        {usage.running}/{usage.maxConcurrent} running
      </span>
      {/* First, so a lane with many windows still says why it is held where the eye starts. */}
      <HoldChip usage={usage} now={now} />
      {usage.windows.map((window, index) => (
        // Two windows may share a length and a unit; their place in the list tells them apart.
        <WindowMeter key={`${index}:${window.window}:${window.unit}`} window={window} now={now} />
      ))}
      {unmatchedReports(usage).map((report) => (
        <ReportMeter key={report.window} report={report} now={now} />
      ))}
    </span>
  )
}
