// The chart as a React component: it owns one SaturationChart (uPlot) sized to its box, hands it
// new numbers, visibility and theme colors, and reports the hovered bucket and the user's zooms.
import { useEffect, useRef } from 'react'
import 'uplot/dist/uPlot.min.css'
import type { Saturation } from '../../../../shared/saturation'
import { onThemeChange, readChartColors } from './chartColors'
import {
  FIRST_AGENT_SERIES,
  PORTFOLIO_SERIES,
  SaturationChart as Chart,
  type ShadeSubject,
  type ZoomRange,
} from './saturationChart'

export interface SaturationChartProps {
  saturation: Saturation
  zoom: ZoomRange | null
  /** Series the legend switched off: "portfolio" or agent names. */
  hidden: ReadonlySet<string>
  shade: ShadeSubject
  onCursor(index: number | null): void
  onZoom(range: ZoomRange | null): void
}

export function SaturationChart(props: SaturationChartProps) {
  const { saturation, zoom, hidden, shade } = props
  const box = useRef<HTMLDivElement | null>(null)
  const chart = useRef<Chart | null>(null)
  // The callbacks change every render; the chart is built once per set of agents.
  const latest = useRef(props)
  latest.current = props
  const agents = saturation.agents.map((a) => a.agent).join(' ')

  useEffect(() => {
    const element = box.current!
    const size = () => ({ width: element.clientWidth, height: Math.max(160, element.clientHeight) })
    const built = new Chart(
      element,
      size(),
      readChartColors(element),
      latest.current.saturation.agents.length,
      {
        onCursor: (index) => latest.current.onCursor(index),
        onZoom: (range) => latest.current.onZoom(range),
      },
    )
    chart.current = built
    const resize = new ResizeObserver(() => built.setSize(size()))
    resize.observe(element)
    const stopThemes = onThemeChange(() => built.setColors(readChartColors(element)))
    return () => {
      stopThemes()
      resize.disconnect()
      built.destroy()
      chart.current = null
    }
  }, [agents])

  useEffect(() => {
    chart.current?.setShade(shade)
    // A new object each render says the same thing: compare what it names.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shade.kind, shade.kind === 'agent' ? shade.index : -1, agents])

  useEffect(() => {
    chart.current?.setData(saturation, zoom)
  }, [saturation, zoom, agents])

  useEffect(() => {
    const current = chart.current
    if (!current) return
    current.setVisible(PORTFOLIO_SERIES, !hidden.has('portfolio'))
    saturation.agents.forEach((agent, i) =>
      current.setVisible(FIRST_AGENT_SERIES + i, !hidden.has(agent.agent)),
    )
  }, [hidden, saturation.agents, agents])

  return (
    <div
      ref={box}
      className="saturation-canvas"
      data-testid="saturation-chart"
      data-buckets={saturation.timestamps.length}
      data-bucket-ms={saturation.bucketMs}
    />
  )
}
