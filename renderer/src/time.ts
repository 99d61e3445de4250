// The app's one way of saying when and for how long: "14:05" today, "tomorrow 03:51", "Thu 14:05"
// within a week, "3 Dec 14:05" beyond; "2m 10s", "1h 5m". Every card, drawer, run view, lane
// header, toast and chart legend says times through this module, so they read alike. (The CLI
// keeps shared/format's compact "1h30m", which its flags also accept.)
import { formatAge } from '../../shared/format'

export { formatAge }

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

const two = (n: number) => String(n).padStart(2, '0')

/** The local calendar day as a count of days, so two moments compare by date, not by 24 hours. */
function dayNumber(date: Date): number {
  return Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) / 86_400_000
}

/** "14:05" (or "14:05:07"): the local time of day on a 24-hour clock, never "24:05". */
export function formatClockTime(at: number, options: { seconds?: boolean } = {}): string {
  const date = new Date(at)
  const clock = `${two(date.getHours())}:${two(date.getMinutes())}`
  return options.seconds ? `${clock}:${two(date.getSeconds())}` : clock
}

/**
 * A moment as a person reads it against `now`: "14:05" today, "tomorrow 03:51" / "yesterday
 * 22:10", "Sat 03:51" within a week either way, "3 Dec 14:05" further off ("3 Dec 2025 14:05"
 * in another year).
 */
export function formatTime(at: number, now: number, options: { seconds?: boolean } = {}): string {
  const date = new Date(at)
  const clock = formatClockTime(at, options)
  const today = new Date(now)
  const days = dayNumber(date) - dayNumber(today)
  if (days === 0) return clock
  if (days === 1) return `tomorrow ${clock}`
  if (days === -1) return `yesterday ${clock}`
  if (Math.abs(days) < 7) return `${WEEKDAYS[date.getDay()]} ${clock}`
  const year = date.getFullYear() === today.getFullYear() ? '' : ` ${date.getFullYear()}`
  return `${date.getDate()} ${MONTHS[date.getMonth()]}${year} ${clock}`
}

/**
 * How long, to the second under an hour: "45s", "2m 10s", "1h 5m", "3d 4h". Rounded down, so a
 * ticking duration never shows a second that has not passed yet.
 */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000))
  const units: [number, string][] = [
    [Math.floor(seconds / 86_400), 'd'],
    [Math.floor(seconds / 3600) % 24, 'h'],
    [Math.floor(seconds / 60) % 60, 'm'],
    [seconds % 60, 's'],
  ]
  const first = units.findIndex(([amount]) => amount > 0)
  if (first === -1) return '0s'
  // The largest unit and the one after it; a zero second part is left out ("2m", "1h").
  return units
    .slice(first, first + 2)
    .filter(([amount], i) => i === 0 || amount > 0)
    .map(([amount, unit]) => `${amount}${unit}`)
    .join(' ')
}

/** A day on its own, for a chart's axis: "Thu 3 Dec". */
export function formatDay(at: number): string {
  const date = new Date(at)
  return `${WEEKDAYS[date.getDay()]} ${date.getDate()} ${MONTHS[date.getMonth()]}`
}

/**
 * A time axis in the app's format: each tick "14:05", and the first tick of each day also names
 * the day on a second line ("00:00\nThu 3 Dec").
 */
export function timeAxisLabels(ticks: readonly number[]): string[] {
  let lastDay = ''
  return ticks.map((at) => {
    const day = formatDay(at)
    const label = day === lastDay ? formatClockTime(at) : `${formatClockTime(at)}\n${day}`
    lastDay = day
    return label
  })
}

/** A full date and time for a tooltip: "Thu 3 Dec 2026, 14:05". */
export function formatFullTime(at: number): string {
  const date = new Date(at)
  return `${WEEKDAYS[date.getDay()]} ${date.getDate()} ${MONTHS[date.getMonth()]} ${date.getFullYear()}, ${formatClockTime(at)}`
}
