// Saturation, over the board: where work can go right now, each agent's utilization over time with
// its unused capacity shaded (idle) or hatched (blocked), and where the week's capacity went. S opens
// it, Esc closes it.
import { useEffect, useMemo, useRef, useState } from 'react'
import type { Saturation } from '../../../../shared/saturation'
import { useUi } from '../../stores/ui'
import { CloseButton } from '../CloseButton'
import { InlineError } from '../InlineError'
import { Loading } from '../Loading'
import { useModalFocus } from '../useModalFocus'
import { seriesColor } from './chartColors'
import { IdleWeekPanel } from './IdleWeekPanel'
import { RightNowPanel } from './RightNowPanel'
import { SaturationChart } from './SaturationChart'
import { SaturationLegend } from './SaturationLegend'
import type { ShadeSubject, ZoomRange } from './saturationChart'
import { RANGES, saturationQuery, type RangeDays } from './saturationQuery'
import { useSaturation } from './useSaturation'
import './saturation.css'

/** The portfolio's idle capacity is shaded, or one agent's when the legend shows it alone. */
function shadeSubject(saturation: Saturation, hidden: ReadonlySet<string>): ShadeSubject {
  const shown = saturation.agents
    .map((agent, index) => ({ agent, index }))
    .filter(({ agent }) => agent.utilization && !hidden.has(agent.agent))
  if (hidden.has('portfolio') && shown.length === 1)
    return { kind: 'agent', index: shown[0]!.index }
  return { kind: 'portfolio' }
}

function EmptyState({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="panel saturation-empty" data-testid="saturation-empty">
      <h3 className="panel-title">{title}</h3>
      <p className="panel-text">{children}</p>
    </div>
  )
}

export function SaturationView() {
  const panel = useRef<HTMLElement | null>(null)
  const [range, setRange] = useState<RangeDays>(7)
  const [zoom, setZoom] = useState<ZoomRange | null>(null)
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set())
  const [cursor, setCursor] = useState<number | null>(null)
  // When the data begins, from the last answer: a first day is asked for in 5-minute buckets.
  const [dataFrom, setDataFrom] = useState<number | null>(null)
  const query = useMemo(
    () => saturationQuery(range, zoom, Date.now(), dataFrom),
    [range, zoom, dataFrom],
  )
  const { value, error, loading, retry } = useSaturation(query)
  useEffect(() => {
    if (value) setDataFrom(value.dataFrom)
  }, [value])
  useModalFocus(panel)
  const close = () => useUi.getState().closeSaturation()
  const toggle = (key: string) =>
    setHidden((current) => {
      const next = new Set(current)
      if (!next.delete(key)) next.add(key)
      return next
    })
  const measured = value?.agents.some((a) => a.utilization) ?? false
  const shade = value ? shadeSubject(value, hidden) : ({ kind: 'portfolio' } as const)

  return (
    <section
      ref={panel}
      className="overlay-panel saturation"
      role="dialog"
      aria-modal="true"
      aria-labelledby="saturation-title"
      data-testid="saturation-view"
      tabIndex={-1}
    >
      <header className="saturation-header">
        <h2 id="saturation-title" className="saturation-title">
          Saturation
        </h2>
        <div className="segmented" role="group" aria-label="Range">
          {RANGES.map((r) => (
            <button
              key={r.days}
              type="button"
              className="segmented-option"
              aria-pressed={range === r.days && !zoom}
              data-testid={`range-${r.days}`}
              onClick={() => {
                setRange(r.days)
                setZoom(null)
              }}
            >
              {r.label}
            </button>
          ))}
        </div>
        {zoom && (
          <span className="saturation-zoom" data-testid="saturation-zoom">
            Zoomed in{value?.bucketMs === 300_000 ? ' · 5-minute buckets' : ''}
            <button type="button" className="link-button" onClick={() => setZoom(null)}>
              Show all {range} days
            </button>
          </span>
        )}
        <span className="saturation-spacer" />
        {loading && value && <span className="spinner" role="status" aria-label="Updating" />}
        <CloseButton onClick={close} />
      </header>
      {!value && !error && <Loading className="saturation-loading">Reading usage…</Loading>}
      {!value && error && (
        <div className="saturation-loading">
          <InlineError message={`Could not read the usage: ${error}`} testId="saturation-error" />
          <button type="button" className="button button-secondary" onClick={retry}>
            Try again
          </button>
        </div>
      )}
      {value && (
        <div className="saturation-body">
          <div className="saturation-main">
            {value.agents.length === 0 ? (
              <EmptyState title="No agents yet">
                Add a lane with its subscription’s quota windows (for example 2M tokens per 5
                hours), and its use shows here.
              </EmptyState>
            ) : !measured ? (
              <EmptyState title="No quota windows yet">
                Utilization is use against a limit, and no agent has one. Give a lane its
                subscription’s quota windows in its settings; until then the usage is listed on the
                right.
              </EmptyState>
            ) : (
              <>
                <RightNowPanel
                  colorOf={(agent) => {
                    const index = value.agents.findIndex((a) => a.agent === agent && a.utilization)
                    return index === -1 ? null : seriesColor(index)
                  }}
                />
                <SaturationLegend
                  saturation={value}
                  zoom={zoom}
                  hidden={hidden}
                  cursor={cursor}
                  onToggle={toggle}
                />
                <SaturationChart
                  saturation={value}
                  zoom={zoom}
                  hidden={hidden}
                  shade={shade}
                  onCursor={setCursor}
                  onZoom={setZoom}
                />
                <p className="saturation-hint">
                  <span className="saturation-idle-key" aria-hidden="true" /> Idle and{' '}
                  <span className="saturation-blocked-key" aria-hidden="true" /> blocked capacity of{' '}
                  {shade.kind === 'agent' ? value.agents[shade.index]!.agent : 'the portfolio'} ·
                  100% = an agent’s fullest quota window is used up, as its lane meter said then
                  (lines above 200% are clipped; hover for the value). Drag across the chart to
                  zoom; double-click to zoom out.
                </p>
              </>
            )}
          </div>
          {value.agents.length > 0 && <IdleWeekPanel saturation={value} days={range} />}
        </div>
      )}
    </section>
  )
}
