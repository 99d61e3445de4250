// The chart's colors come from CSS variables (saturation.css, on top of theme.css), so the canvas
// follows the light and dark themes like the rest of the window.
import type { ChartColors } from './saturationChart'

export const AGENT_COLOR_COUNT = 10

/** The CSS colour of the agent at `index` in the chart, the legend and the idle panel. */
export function seriesColor(index: number): string {
  return `var(--series-${(index % AGENT_COLOR_COUNT) + 1})`
}

export function readChartColors(element: Element): ChartColors {
  const style = getComputedStyle(element)
  const read = (name: string) => style.getPropertyValue(name).trim()
  return {
    agents: Array.from({ length: AGENT_COLOR_COUNT }, (_, i) => read(`--series-${i + 1}`)),
    portfolio: read('--saturation-portfolio'),
    full: read('--saturation-full'),
    idle: read('--saturation-idle'),
    blocked: read('--saturation-blocked'),
    axis: read('--text-muted'),
    grid: read('--saturation-grid'),
  }
}

/** Calls back when the OS switches between light and dark. */
export function onThemeChange(callback: () => void): () => void {
  const query = window.matchMedia('(prefers-color-scheme: dark)')
  query.addEventListener('change', callback)
  return () => query.removeEventListener('change', callback)
}
