// Which buckets the view asks for: hours for a whole range (7 days: 168 points, 30 days: 720), and
// 5-minute buckets once the user zooms into 2 days or less, where hours would leave a few dozen
// points — or when the data itself is that young (a first day), so the chart fits what it has.
import type { Input } from '../../../../shared/api'
import { DAY_MS, SATURATION_MAX_DAYS } from '../../../../shared/saturation'
import type { ZoomRange } from './saturationChart'

export const RANGES = [
  { days: 7, label: '7 days' },
  { days: 30, label: '30 days' },
] as const
export type RangeDays = (typeof RANGES)[number]['days']

export const FINE_ZOOM_MS = 2 * DAY_MS

export type SaturationQuery = Required<Input<'usage/saturation'>>

export function saturationQuery(
  range: RangeDays,
  zoom: ZoomRange | null,
  now: number,
  /** When the first lane's capacity began, from the last answer; null: not known yet, or none. */
  dataFrom: number | null = null,
): SaturationQuery {
  const young = dataFrom !== null && now - dataFrom <= FINE_ZOOM_MS
  const from = zoom && zoom.to - zoom.from <= FINE_ZOOM_MS ? zoom.from : young ? dataFrom : null
  if (from === null) return { days: range, bucket: 'hour' }
  // The engine serves ranges that end now: reach back far enough to cover the start.
  const days = Math.ceil((now - from) / DAY_MS)
  return { days: Math.min(SATURATION_MAX_DAYS, Math.max(1, days)), bucket: '5min' }
}
