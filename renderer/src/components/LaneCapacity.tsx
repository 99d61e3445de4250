// A lane header's capacity: runs against the cap, one meter per quota window (used of limit, when
// it frees up, and which source the figure came from: on its tooltip, and on a chip when the
// lanes count differently), and a hold in words — "Paused until 14:05" — with its reason on
// hover and for screen readers. Reads the same figures and availability as
// dispatch, the allocator and the saturation view.
import { laneAvailability } from '../../../shared/availability'
import {
  describeUseSource,
  formatUsedOf,
  sourcesLeftOut,
  sourceOfUse,
  type AgentUsage,
  type LaneSources,
  type ReportedWindow,
  type WindowUsage,
} from '../../../shared/quotas'
import { holdReasonWords } from '../board/wording'
import { sourceChip, sourcesDiffer, unmatchedReports } from './meterSources'
import { useCapacity } from '../stores/capacity'
import { useClock } from '../stores/clock'
import { formatDuration, formatTime } from '../time'
import './capacity.css'

function until(at: number, now: number): string {
  return `${formatTime(at, now)} (in ${formatDuration(Math.max(60_000, at - now))})`
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
          ? `Full until ${formatTime(availability.until, now)}`
          : 'Full'
        : availability.until
          ? `Paused until ${formatTime(availability.until, now)}`
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

interface MeterProps {
  window: WindowUsage
  now: number
  sources: LaneSources | undefined
  /** The lane is held: its room cannot be used until the hold ends. */
  held: boolean
  /** The board's meters count from more than one kind of source, so each names its own. */
  sourcesDiffer: boolean
}

/** The meter's hover text: the figure, where it came from, what it leaves out, when it frees. */
export function meterTitle({ window, now, sources, held }: MeterProps): string {
  const percent = Math.round(window.utilization * 100)
  const source = sourceOfUse(window)
  const parts = [`${window.window} ${window.unit}: ${percent}% used, ${describeUseSource(source)}`]
  const counted = formatUsedOf(window.unit, window.used, window.limit)
  if (source === 'usage-report') {
    parts.push(
      `this factory counted ${counted} (${Math.round((window.used / window.limit) * 100)}%)`,
    )
  } else {
    parts.push(counted)
    if (window.reported) {
      parts.push(`Claude’s usage report says ${Math.round(window.reported.utilization * 100)}%`)
    }
  }
  const leftOut = sourcesLeftOut(sources)
  if (leftOut && source !== 'usage-report') parts.push(leftOut)
  if (window.freesAt && (window.used > 0 || window.reported)) {
    parts.push(`frees ${until(window.freesAt, now)}`)
  }
  if (held) parts.push('the lane is held, so none of this room can be used until it resumes')
  return parts.join('; ')
}

function WindowMeter(props: MeterProps) {
  const { window, held } = props
  const percent = Math.round(window.utilization * 100)
  const level = percent >= 100 ? 'full' : percent >= 80 ? 'high' : 'ok'
  const used = formatUsedOf(window.unit, window.used, window.limit)
  const source = sourceOfUse(window)
  // Said on every meter or on none (its tooltip says it then), so the lanes read alike.
  const chip = sourceChip(source, props.sourcesDiffer)
  const frees = window.freesAt && (window.used > 0 || window.reported) ? window.freesAt : null
  return (
    <span
      className={`meter meter-${level}${held ? ' meter-held' : ''}`}
      data-testid="lane-meter"
      data-source={source}
      title={meterTitle(props)}
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
        aria-valuetext={`${percent}%, ${source === 'usage-report' ? 'as Claude’s usage report says' : used}`}
      >
        <span className="meter-fill" style={{ width: `${Math.min(percent, 100)}%` }} />
      </span>
      <span className="meter-value">{percent}%</span>
      {chip && (
        <span className="meter-source" data-testid="meter-source">
          {chip}
        </span>
      )}
      {frees && window.utilization >= 0.5 && !held && (
        <span className="meter-frees">frees {formatTime(frees, props.now)}</span>
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

/** The subscription's own figure for a window the lane has no quota window for. */
function ReportMeter({
  report,
  now,
  sourcesDiffer,
}: {
  report: ReportedWindow
  now: number
  sourcesDiffer: boolean
}) {
  const percent = Math.round(report.utilization * 100)
  const level = percent >= 100 ? 'full' : percent >= 80 ? 'high' : 'ok'
  const label = REPORT_LABELS[report.window] ?? report.window
  const resets = report.resetsAt ? `; resets ${until(report.resetsAt, now)}` : ''
  return (
    <span
      className={`meter meter-${level}`}
      data-testid="lane-report"
      title={`${label}: ${percent}% used, from Claude’s usage report${resets}`}
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
      {sourcesDiffer && (
        <span className="meter-source" data-testid="meter-source">
          {sourceChip('usage-report', sourcesDiffer)}
        </span>
      )}
    </span>
  )
}

export function LaneCapacity({ agent }: { agent: string }) {
  const usage = useCapacity((s) => s.byAgent[agent])
  const now = useClock((s) => s.now)
  const differ = useCapacity((s) => sourcesDiffer(Object.values(s.byAgent)))
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
        <WindowMeter
          key={`${index}:${window.window}:${window.unit}`}
          window={window}
          now={now}
          sources={usage.sources}
          held={!usage.enabled || usage.pausedIndefinitely || usage.pausedUntil !== null}
          sourcesDiffer={differ}
        />
      ))}
      {unmatchedReports(usage).map((report) => (
        <ReportMeter key={report.window} report={report} now={now} sourcesDiffer={differ} />
      ))}
    </span>
  )
}
