// A quota limit as people write it, and as the app itself shows one: "2,000,000", "2M", "1.5k",
// "$200", "$12.5", "200 messages". Read exactly (digits shifted, no float arithmetic), into the
// text the engine's WINDOW:UNIT:LIMIT takes: whole tokens, messages, runs; dollars to the micro.
import type { QuotaUnit } from '../../../../shared/quotas'

export type LimitReading = { ok: true; value: string } | { ok: false; problem: string }

const SCALES: Record<string, number> = { '': 0, k: 3, m: 6, b: 9 }

/** The words a limit may end with, naming its unit; "US dollars" is how the unit select reads. */
const UNIT_WORDS: Record<string, QuotaUnit> = {
  token: 'tokens',
  tokens: 'tokens',
  message: 'messages',
  messages: 'messages',
  run: 'runs',
  runs: 'runs',
  usd: 'usd',
  dollar: 'usd',
  dollars: 'usd',
  'us dollars': 'usd',
}

const UNIT_NAMES: Record<QuotaUnit, string> = {
  tokens: 'tokens',
  usd: 'US dollars',
  messages: 'messages',
  runs: 'runs',
}

const SHAPE = /^(\$)?(\d+(?:\.\d+)?|\.\d+)\s*([kmb](?![a-z]))?\s*([a-z ]*)$/i

export function parseLimit(unit: QuotaUnit, text: string): LimitReading {
  const typed = text.trim()
  if (typed === '') return { ok: false, problem: 'a limit is needed, like 2M or $200' }
  const match = SHAPE.exec(typed.replace(/[,_]|(?<=\d) (?=\d)/g, ''))
  const example = unit === 'usd' ? '$200 or 12.5' : `2M, 1.5k or 200 ${UNIT_NAMES[unit]}`
  if (!match) return { ok: false, problem: `use a number like ${example}, not "${typed}"` }
  const [, dollarSign, number = '', scale = '', word = ''] = match
  const named = word.trim().toLowerCase()
  const said = dollarSign ? 'usd' : named ? UNIT_WORDS[named] : unit
  if (!said)
    return { ok: false, problem: `"${word.trim()}" is not a unit; use a number like ${example}` }
  if (said !== unit) {
    return {
      ok: false,
      problem: `"${typed}" is ${UNIT_NAMES[said]}, but this window counts ${UNIT_NAMES[unit]}`,
    }
  }
  const decimals = unit === 'usd' ? 6 : 0
  const value = shifted(number, SCALES[scale.toLowerCase()] ?? 0, decimals)
  if (value === null) {
    return {
      ok: false,
      problem:
        unit === 'usd'
          ? `at most six decimals of a dollar, not "${typed}"`
          : `a whole number of ${UNIT_NAMES[unit]}, not "${typed}"`,
    }
  }
  if (/^[0.]*$/.test(value)) return { ok: false, problem: 'a limit is more than 0' }
  return { ok: true, value }
}

/**
 * "1.5" shifted 3 places → "1500"; with `decimals` kept after the point ("12.5" → "12.5"), or
 * null when the number has more decimals than that.
 */
function shifted(number: string, places: number, decimals: number): string | null {
  const [whole = '', fraction = ''] = number.split('.')
  const padded = fraction.padEnd(places, '0')
  const wholePart = `${whole}${padded.slice(0, places)}`.replace(/^0+(?=\d)/, '') || '0'
  const rest = padded.slice(places).replace(/0+$/, '')
  if (rest.length > decimals) return null
  return rest ? `${wholePart}.${rest}` : wholePart
}
