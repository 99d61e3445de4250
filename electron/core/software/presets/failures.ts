// Failure classification shared by every preset: error text (stderr, error results, error events)
// becomes a FailureClass with the reset time the CLI announced, and USD amounts become micro-dollars.
// Message shapes are the real ones: "Claude AI usage limit reached|1760000400", "You've hit your
// limit · resets 4:50am (Europe/Rome)", "resets Jan 30, 11:30am (Asia/Calcutta)" (anthropics/
// claude-code issues #9046, #52575, #21562), Codex's "You've hit your usage limit … try again at
// 3:28 PM" / "try again in 3 days 6 hours 57 minutes", and the API's 401/429/529 error bodies.
import type { Failure } from '../../../../shared/runs'
import { NOTHING, oneLine, raw, type Announced } from './parsing'
import type { ParsedOutput } from './types'

const CONTEXT = String.raw`(?:error|status|code|http(?:\/\d(?:\.\d)?)?|api)\W{0,12}`

const QUOTA =
  /usage limit|(?<!rate )limit reached|hit your (?:usage )?limit|limit will reset|insufficient[_ ]quota|exceeded your current quota|quota exceeded|credit balance is too low|reached your specified api usage limits|out of credits/i
const AUTH = new RegExp(
  String.raw`${CONTEXT}401\b|\b401\W{0,3}(?:\{|unauthorized)|invalid (?:x-)?api[ _-]?key|please run \/login|oauth token (?:has )?expired|authentication_error|authentication_failed|not logged in`,
  'i',
)
const OVERLOADED = new RegExp(
  String.raw`overloaded|experiencing high demand|${CONTEXT}(?:529|503)\b|\b(?:529|503)\W{0,3}(?:\{|service unavailable)|service unavailable`,
  'i',
)
const RATE = new RegExp(
  String.raw`rate[ _-]?limit|too many requests|${CONTEXT}429\b|\b429\W{0,3}\{`,
  'i',
)

/** Reads error text; undefined when it is not one of the classes a CLI can announce. */
export function classifyFailure(text: string, now: number): Failure | undefined {
  if (typeof text !== 'string' || text.trim() === '') return undefined
  const sample = text.length > 16_384 ? text.slice(0, 16_384) : text
  const message = oneLine(sample)
  // Order matters: quota texts arrive with a 429 ("usage limit reached" is not a retry-later).
  if (QUOTA.test(sample)) return withReset('quota_exhausted', message, sample, now)
  if (AUTH.test(sample)) return { class: 'auth_expired', message }
  if (OVERLOADED.test(sample)) return { class: 'overloaded', message }
  if (RATE.test(sample)) return withReset('rate_limited', message, sample, now)
  return undefined
}

/** A line of error output (stderr): kept raw, and classified in case it announces a failure. */
export function errorLine(
  stream: 'stdout' | 'stderr',
  line: string,
  now: number,
  announced: Announced,
): ParsedOutput {
  if (line.trim() === '') return NOTHING
  const failure = classifyFailure(line, now)
  const entries = [raw(stream, line)]
  return failure ? { entries, failure: announced.add(failure) } : { entries }
}

/** An HTTP status a CLI reported as a field (Claude's `api_error_status`). */
export function failureFromStatus(status: unknown, message: string): Failure | undefined {
  if (status === 429) return { class: 'rate_limited', message }
  if (status === 401) return { class: 'auth_expired', message }
  if (status === 529 || status === 503) return { class: 'overloaded', message }
  return undefined
}

function withReset(
  kind: 'quota_exhausted' | 'rate_limited',
  message: string,
  text: string,
  now: number,
): Failure {
  const resetAt = parseResetAt(text, now)
  return resetAt === undefined ? { class: kind, message } : { class: kind, message, resetAt }
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const EPOCH = /\|\s*(\d{9,13})\b/
const DURATION =
  /(?:try again|resets?) in\s+((?:(?:and\s+)?\d+(?:\.\d+)?\s*(?:days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b[\s,]*)+)/i
const DURATION_PART =
  /(\d+(?:\.\d+)?)\s*(days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b/gi
const ISO =
  /\b(\d{4})-(\d{2})-(\d{2})(?:\s+at)?\s+(\d{1,2}):(\d{2})(?:\s*\(([^)]{1,64})\)|\s+(UTC|GMT)\b)?/i
const CLOCK = new RegExp(
  String.raw`\b(?:resets?|reset at|try again at)\s+(?:at\s+|on\s+)?` +
    String.raw`(?:(${MONTHS.join('|')})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(?:(\d{4}),?\s+)?(?:at\s+)?)?` +
    String.raw`(\d{1,2})(?::(\d{2}))?(?:\s*(am|pm|a\.m\.|p\.m\.)(?![a-z]))?(?:\s*\(([^)]{1,64})\)|\s+(UTC|GMT)\b)?`,
  'i',
)

/**
 * When a limit frees up (epoch ms), from the wording CLIs use: an epoch after `|`, "try again in
 * 2 hours 5 minutes", an ISO date, or a wall-clock time ("resets 6am", "resets Jan 30, 11:30am
 * (Asia/Calcutta)") read as its next occurrence after `now` in the named time zone, else local.
 */
export function parseResetAt(text: string, now: number): number | undefined {
  const epoch = EPOCH.exec(text)
  if (epoch?.[1]) {
    const n = Number(epoch[1])
    return epoch[1].length >= 13 ? n : n * 1000
  }
  const duration = DURATION.exec(text)
  if (duration?.[1]) {
    let ms = 0
    for (const part of duration[1].matchAll(DURATION_PART)) {
      const unit = (part[2] ?? 's')[0]?.toLowerCase()
      const scale =
        unit === 'd' ? 86_400_000 : unit === 'h' ? 3_600_000 : unit === 'm' ? 60_000 : 1000
      ms += Number(part[1]) * scale
    }
    return ms > 0 ? now + Math.round(ms) : undefined
  }
  const iso = ISO.exec(text)
  if (iso) {
    const [, y, mo, d, h, mi, zone, utc] = iso
    const tz = validZone(zone ?? utc)
    return wallToEpoch(Number(y), Number(mo), Number(d), Number(h), Number(mi), tz)
  }
  const clock = CLOCK.exec(text)
  if (!clock) return undefined
  const [, month, day, year, hourText, minuteText, meridiem, zone, utc] = clock
  // "resets 6" alone is not a time; a time needs am/pm or minutes.
  if (!meridiem && minuteText === undefined) return undefined
  let hour = Number(hourText)
  const minute = minuteText === undefined ? 0 : Number(minuteText)
  if (meridiem) {
    if (hour < 1 || hour > 12) return undefined
    hour = (hour % 12) + (meridiem.toLowerCase().startsWith('p') ? 12 : 0)
  }
  if (hour > 23 || minute > 59) return undefined
  const tz = validZone(zone ?? utc)
  if (month && day) {
    const m = MONTHS.indexOf(month.slice(0, 3).toLowerCase()) + 1
    const today = wallDate(now, tz)
    let at = wallToEpoch(year ? Number(year) : today.y, m, Number(day), hour, minute, tz)
    if (!year && at <= now) at = wallToEpoch(today.y + 1, m, Number(day), hour, minute, tz)
    return at
  }
  return nextOccurrence(now, hour, minute, tz)
}

/** The first moment after `now` when the wall clock in `timeZone` (or locally) reads hour:minute. */
export function nextOccurrence(
  now: number,
  hour: number,
  minute: number,
  timeZone?: string,
): number {
  const today = wallDate(now, timeZone)
  const at = wallToEpoch(today.y, today.mo, today.d, hour, minute, timeZone)
  // Day overflow (31 + 1) is normalised by Date; recomputing (not +24h) keeps DST days right.
  return at > now ? at : wallToEpoch(today.y, today.mo, today.d + 1, hour, minute, timeZone)
}

function validZone(zone: string | undefined): string | undefined {
  if (!zone) return undefined
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: zone.trim() }).resolvedOptions().timeZone
  } catch {
    // "IST" and other abbreviations are not IANA names: fall back to local time.
    return undefined
  }
}

interface Wall {
  y: number
  mo: number
  d: number
  h: number
  mi: number
  s: number
}

function wallParts(t: number, timeZone: string): Wall {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(t))
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0)
  return {
    y: get('year'),
    mo: get('month'),
    d: get('day'),
    h: get('hour'),
    mi: get('minute'),
    s: get('second'),
  }
}

function wallDate(t: number, timeZone?: string): Wall {
  if (timeZone) return wallParts(t, timeZone)
  const d = new Date(t)
  return {
    y: d.getFullYear(),
    mo: d.getMonth() + 1,
    d: d.getDate(),
    h: d.getHours(),
    mi: d.getMinutes(),
    s: d.getSeconds(),
  }
}

function offsetAt(t: number, timeZone: string): number {
  const p = wallParts(t, timeZone)
  return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) - Math.floor(t / 1000) * 1000
}

function wallToEpoch(y: number, mo: number, d: number, h: number, mi: number, tz?: string): number {
  if (!tz) return new Date(y, mo - 1, d, h, mi).getTime()
  const guess = Date.UTC(y, mo - 1, d, h, mi)
  const first = guess - offsetAt(guess, tz)
  // Near a DST switch the offset at the guess and at the answer differ; the second read wins.
  return guess - offsetAt(first, tz)
}

/**
 * USD to integer micro-dollars, exactly: the decimal digits of the number's shortest string form
 * are shifted, never multiplied as floats; the 7th decimal rounds half-up (away from zero).
 * Anything that is not a finite number or numeric string is 0.
 */
export function usdToMicros(usd: number | string): number {
  const text =
    typeof usd === 'number' ? (Number.isFinite(usd) ? String(usd) : '') : String(usd ?? '').trim()
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d{1,6}))?$/i.exec(text)
  if (!m || `${m[2] ?? ''}${m[3] ?? ''}` === '') return 0
  const sign = m[1] === '-' ? -1 : 1
  const digits = `${m[2] ?? ''}${m[3] ?? ''}`
  const cut = (m[2] ?? '').length + Number(m[4] ?? 0) + 6 // digits that are whole micro-dollars
  if (cut > 30) return sign * Number.MAX_SAFE_INTEGER
  let whole = 0n
  let next = 0
  if (cut > 0) {
    whole = BigInt(digits.slice(0, cut).padEnd(cut, '0') || '0')
    next = Number(digits[cut] ?? 0)
  } else if (cut === 0) {
    next = Number(digits[0] ?? 0)
  }
  const micros = whole + (next >= 5 ? 1n : 0n)
  const bounded =
    micros > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(micros)
  return bounded === 0 ? 0 : sign * bounded
}
