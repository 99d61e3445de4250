// The saturation chart on a canvas (uPlot): one line per agent, the portfolio bolder, a dashed 100%
// line, and between the shading subject and 100% its unused capacity: shaded where it was idle
// (the lane could have worked), hatched where it was blocked (held, paused, disabled). No React
// here, so the benchmark can draw the same chart in a bare page.
import uPlot from 'uplot'
import { timeAxisLabels } from '../../time'
import type { Saturation } from '../../../../shared/saturation'

export interface ChartColors {
  agents: string[]
  portfolio: string
  full: string
  idle: string
  blocked: string
  axis: string
  grid: string
}

export interface ZoomRange {
  from: number
  to: number
}

export interface ChartCallbacks {
  /** The bucket under the pointer, or null when it leaves the chart. */
  onCursor?(index: number | null): void
  /** A drag-selected time range, or null when zoomed back out (double click). */
  onZoom?(range: ZoomRange | null): void
}

/** Whose idle capacity is shaded: the portfolio, or one agent when it is shown alone. */
export type ShadeSubject = { kind: 'portfolio' } | { kind: 'agent'; index: number }

/**
 * Series 1–3 carry the bands (100%, the idle floor, the blocked floor); 4 is the portfolio; agents
 * follow.
 */
export const FIRST_AGENT_SERIES = 5
export const PORTFOLIO_SERIES = 4
/** Spikes above 200% are clipped so 0–100% stays readable; hovering shows the real value. */
const Y_CAP = 2

export class SaturationChart {
  private readonly plot: uPlot
  private colors: ChartColors
  private saturation: Saturation | null = null
  private shade: ShadeSubject = { kind: 'portfolio' }
  /** Set while this code moves the x scale, so only the user's zooms are reported. */
  private settingScale = false

  constructor(
    target: HTMLElement,
    size: { width: number; height: number },
    colors: ChartColors,
    agentCount: number,
    callbacks: ChartCallbacks = {},
  ) {
    this.colors = colors
    const color = (pick: (c: ChartColors) => string) => () => pick(this.colors)
    // Whole-pixel widths: Chromium rasterizes a 1.25 px line over 8,640 points some 30 times slower
    // than a 1 px one without a GPU. The edges of the idle band are not stroked; the dashed 100% line
    // is drawn once as a single segment (drawFullLine), not as a series of 8,640 points.
    const edge: uPlot.Series = { stroke: 'transparent', width: 0, points: { show: false } }
    const series: uPlot.Series[] = [
      {},
      { ...edge, label: '100%' },
      { ...edge, label: 'idle floor' },
      { ...edge, label: 'blocked floor' },
      {
        label: 'Portfolio',
        stroke: color((c) => c.portfolio),
        width: 2,
        points: { filter: isolatedPoints },
      },
    ]
    for (let i = 0; i < agentCount; i++) {
      series.push({
        stroke: color((c) => c.agents[i % c.agents.length]!),
        width: 1,
        points: { filter: isolatedPoints },
      })
    }
    const axis = (values: uPlot.Axis['values']): uPlot.Axis => ({
      stroke: color((c) => c.axis),
      grid: { stroke: color((c) => c.grid), width: 1 },
      ticks: { stroke: color((c) => c.grid), width: 1 },
      font: '11px system-ui, sans-serif',
      ...(values ? { values } : {}),
    })
    this.plot = new uPlot(
      {
        ...size,
        ms: 1,
        series,
        bands: [
          { series: [1, 2], fill: color((c) => c.idle) },
          { series: [2, 3], fill: () => this.hatch() },
        ],
        scales: {
          // From 0, to a little above the highest line, at least past 100%.
          y: { range: (_u, _min, max) => [0, Math.min(Y_CAP, Math.max(1.1, (max || 0) * 1.08))] },
        },
        axes: [
          axis((_u, splits) => timeAxisLabels(splits)),
          axis((_u, splits) => splits.map((v) => `${Math.round(v * 100)}%`)),
        ],
        legend: { show: false },
        cursor: { y: false, drag: { x: true, y: false, setScale: true }, points: { size: 7 } },
        hooks: {
          draw: [(u) => drawFullLine(u, this.colors.full)],
          setCursor: [(u) => callbacks.onCursor?.(u.cursor.idx ?? null)],
          setScale: [
            (_u, key) => {
              if (key === 'x' && !this.settingScale) callbacks.onZoom?.(this.zoomRange())
            },
          ],
        },
      },
      series.map((): number[] => []) as uPlot.AlignedData,
      target,
    )
  }

  /** New numbers; a zoom is kept (the data may have come in finer buckets for it). */
  setData(saturation: Saturation, zoom: ZoomRange | null): void {
    this.saturation = saturation
    this.settingScale = true
    try {
      this.plot.batch(() => {
        this.plot.setData(this.aligned(saturation), zoom === null)
        if (zoom) this.plot.setScale('x', { min: zoom.from, max: zoom.to })
      })
    } finally {
      this.settingScale = false
    }
    // The pointer has not moved, but what lies under it has: hover values follow the new data.
    const { left, top } = this.plot.cursor
    if (left !== undefined && left >= 0 && top !== undefined) this.plot.setCursor({ left, top })
  }

  setVisible(series: number, show: boolean): void {
    this.plot.setSeries(series, { show })
  }

  setShade(shade: ShadeSubject): void {
    this.shade = shade
    if (this.saturation) {
      const zoom = this.zoomRange()
      this.setData(this.saturation, zoom)
    }
  }

  setColors(colors: ChartColors): void {
    this.colors = colors
    this.pattern = null
    this.plot.redraw(false, true)
  }

  private pattern: { color: string; fill: CanvasPattern | string } | null = null

  /** Blocked capacity is hatched, so it reads apart from idle without relying on colour alone. */
  private hatch(): CanvasPattern | string {
    const color = this.colors.blocked
    if (this.pattern?.color === color) return this.pattern.fill
    const size = Math.round(6 * uPlot.pxRatio)
    const tile = document.createElement('canvas')
    tile.width = tile.height = size
    const ctx = tile.getContext('2d')
    let fill: CanvasPattern | string = color
    if (ctx) {
      ctx.strokeStyle = color
      ctx.lineWidth = Math.max(1, Math.round(uPlot.pxRatio * 1.5))
      ctx.beginPath()
      ctx.moveTo(0, size)
      ctx.lineTo(size, 0)
      ctx.stroke()
      fill = this.plot.ctx.createPattern(tile, 'repeat') ?? color
    }
    this.pattern = { color, fill }
    return fill
  }

  setSize(size: { width: number; height: number }): void {
    this.plot.setSize(size)
  }

  destroy(): void {
    this.plot.destroy()
  }

  private aligned(saturation: Saturation): uPlot.AlignedData {
    const { idle, blocked } = unusedFloors(saturation, this.shade)
    const full = idle.map((value) => (value === null ? null : 1))
    return [
      saturation.timestamps,
      full,
      idle,
      blocked,
      saturation.portfolio,
      ...saturation.agents.map(
        (agent) => agent.utilization ?? saturation.timestamps.map(() => null),
      ),
    ]
  }

  /** The current zoom, or null when the whole range is shown. */
  private zoomRange(): ZoomRange | null {
    const { min, max } = this.plot.scales.x ?? {}
    const stamps = this.saturation?.timestamps ?? []
    if (min === undefined || max === undefined || !stamps.length) return null
    return min <= stamps[0]! && max >= stamps.at(-1)! ? null : { from: min, to: max }
  }
}

/**
 * The bands' lower edges: idle capacity from `idle` up to 100%, blocked capacity from `blocked` up
 * to `idle`, so together they are the subject's unused capacity, 1 − utilization.
 */
export function unusedFloors(
  saturation: Saturation,
  shade: ShadeSubject,
): { idle: (number | null)[]; blocked: (number | null)[] } {
  if (shade.kind === 'portfolio') {
    return {
      idle: saturation.idle.map((idle) => (idle === null ? null : 1 - idle)),
      blocked: saturation.idle.map((idle, i) =>
        idle === null ? null : 1 - idle - (saturation.blocked[i] ?? 0),
      ),
    }
  }
  const agent = saturation.agents[shade.index]
  const utilization = agent?.utilization
  if (!utilization) {
    const none = saturation.timestamps.map(() => null)
    return { idle: none, blocked: none }
  }
  const idle: (number | null)[] = []
  const blocked: (number | null)[] = []
  utilization.forEach((u, i) => {
    if (u === null) {
      idle.push(null)
      blocked.push(null)
      return
    }
    const used = Math.min(1, u)
    const held = agent.blocked?.[i] ?? 0
    idle.push(1 - (1 - used) * (1 - held))
    blocked.push(used)
  })
  return { idle, blocked }
}

/** The dashed 100% line across the plot, in canvas pixels like everything uPlot draws. */
function drawFullLine(u: uPlot, color: string): void {
  const ratio = uPlot.pxRatio
  const width = Math.max(1, Math.round(ratio))
  // An odd width sits on a half pixel to stay crisp.
  const y = Math.round(u.valToPos(1, 'y', true)) + (width % 2) / 2
  const { ctx, bbox } = u
  ctx.save()
  ctx.strokeStyle = color
  ctx.lineWidth = width
  ctx.setLineDash([4 * ratio, 4 * ratio])
  ctx.beginPath()
  ctx.moveTo(bbox.left, y)
  ctx.lineTo(bbox.left + bbox.width, y)
  ctx.stroke()
  ctx.restore()
}

/**
 * A value with no value on either side (a lane added this hour, one run in a quiet week) is a line
 * of no length: uPlot would draw nothing. Those get a point, everything else stays a line.
 */
function isolatedPoints(self: uPlot, seriesIdx: number, show: boolean): number[] | null {
  if (show) return null
  const values = self.data[seriesIdx] as (number | null | undefined)[]
  const isolated: number[] = []
  for (let i = 0; i < values.length; i++) {
    if (values[i] == null) continue
    if (values[i - 1] == null && values[i + 1] == null) isolated.push(i)
  }
  return isolated.length ? isolated : null
}
