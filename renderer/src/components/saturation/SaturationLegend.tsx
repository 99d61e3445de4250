// The legend: a toggle per line (portfolio and each agent with quota windows), with the value in
// the hovered bucket, or the average over what the chart shows when nothing is hovered.
import { useMemo } from 'react'
import type { Saturation } from '../../../../shared/saturation'
import { formatTime } from '../../time'
import { seriesColor } from './chartColors'
import { formatShare } from './idleWording'
import type { ZoomRange } from './saturationChart'

interface Props {
  saturation: Saturation
  zoom: ZoomRange | null
  hidden: ReadonlySet<string>
  cursor: number | null
  onToggle(key: string): void
}

function average(values: (number | null)[], from: number, to: number): number | null {
  let sum = 0
  let count = 0
  for (let i = from; i < to; i++) {
    const value = values[i]
    if (value === null || value === undefined) continue
    sum += value
    count++
  }
  return count ? sum / count : null
}

export function SaturationLegend({ saturation, zoom, hidden, cursor, onToggle }: Props) {
  const { timestamps } = saturation
  const span = useMemo(() => {
    if (!zoom) return [0, timestamps.length] as const
    const first = timestamps.findIndex((t) => t >= zoom.from)
    const end = timestamps.findIndex((t) => t > zoom.to)
    return [Math.max(0, first), end === -1 ? timestamps.length : end] as const
  }, [timestamps, zoom])
  const value = (values: (number | null)[]) =>
    cursor === null ? average(values, span[0], span[1]) : (values[cursor] ?? null)
  const items = [
    {
      key: 'portfolio',
      label: 'Portfolio',
      color: 'var(--saturation-portfolio)',
      values: saturation.portfolio,
    },
    ...saturation.agents.flatMap((agent, i) =>
      agent.utilization
        ? [
            {
              key: agent.agent,
              label: agent.agent,
              color: seriesColor(i),
              values: agent.utilization,
              byReport: new Set(agent.byReport),
            },
          ]
        : [],
    ),
  ]
  // Where the hovered figure comes from, when it is the subscription's own report.
  const reported = (item: (typeof items)[number]) =>
    cursor !== null && 'byReport' in item && item.byReport.has(cursor)
  const at = cursor === null ? null : timestamps[cursor]
  return (
    <div className="saturation-legend" data-testid="saturation-legend">
      <span className="saturation-legend-when" aria-live="off">
        {at === null || at === undefined
          ? zoom
            ? 'Average over the zoomed range'
            : 'Average over the range'
          : `${formatTime(at, saturation.now)} · ${saturation.bucketMs === 3_600_000 ? '1 hour' : '5 minutes'}`}
      </span>
      <ul className="saturation-legend-items">
        {items.map((item) => {
          const shown = !hidden.has(item.key)
          const figure = value(item.values)
          const fromReport = reported(item)
          const source = fromReport ? ', from Claude’s usage report' : ''
          return (
            <li key={item.key}>
              <button
                type="button"
                className={`saturation-legend-item${item.key === 'portfolio' ? ' saturation-legend-portfolio' : ''}`}
                aria-pressed={shown}
                title={`${shown ? 'Hide' : 'Show'} ${item.label}${figure === null ? '' : ` (${formatShare(figure)}${source})`}`}
                data-testid="legend-item"
                onClick={() => onToggle(item.key)}
              >
                <span
                  className="saturation-swatch"
                  style={{ background: item.color }}
                  aria-hidden="true"
                />
                <span className="saturation-legend-label">{item.label}</span>
                <span className="saturation-legend-value">
                  {figure === null ? 'no data' : formatShare(figure)}
                </span>
                {fromReport && <span className="meter-source">reported</span>}
              </button>
            </li>
          )
        })}
      </ul>
    </div>
  )
}
