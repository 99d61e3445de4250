// The subscription's own usage report: Anthropic's OAuth usage endpoint, read with the access token
// Claude Code keeps in its credentials file. Read-only, off by default. The token is read at fetch
// time and goes only into the request's Authorization header: never into the ledger, a log line or
// an error message. The report's windows are stored in `usage_reports` and raise quota windows of
// the same length (quotas.ts).
//
// The format is not documented by Anthropic; it was checked against several public clients:
// - robinebers/openusage docs/providers/claude.md: GET {base}/api/oauth/usage with
//   `Authorization: Bearer <accessToken>` and `anthropic-beta: oauth-2025-04-20`; utilization is a
//   percentage; the token is `claudeAiOauth.accessToken` in ~/.claude/.credentials.json, with
//   `expiresAt` in epoch ms.
// - charlieyou/aim QUOTA_APIS.md and OmegAshEnr01n/GnomeCodexBar BREAKTHROUGH.md: real answers,
//   e.g. {"five_hour":{"utilization":24.0,"resets_at":"2026-01-02T19:59:59.600956+00:00"},
//   "seven_day":{…},"seven_day_sonnet":{…},"seven_day_opus":null,"extra_usage":{…}}.
// - anthropics/claude-code issues #30930 and #31637: the endpoint answers 429
//   {"error":{"type":"rate_limit_error",…}} when polled often, so it is read every few minutes and
//   backs off after a refusal (sync.ts).
import { readFileSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { z } from 'zod'
import { isReportCurrent, type ReportedWindow } from '../../../../shared/quotas'
import type { Ledger } from '../../db/ledger'

export const DEFAULT_REPORT_BASE_URL = 'https://api.anthropic.com'
export const USAGE_REPORT_PATH = '/api/oauth/usage'
export const OAUTH_BETA = 'oauth-2025-04-20'
const DEFAULT_TIMEOUT_MS = 10_000
const MAX_CREDENTIALS_BYTES = 1_048_576
const MAX_ANSWER_BYTES = 1_048_576

const HOUR = 3_600_000
/** The report's windows this reads, and their lengths. Others (extra credits, new names) are left. */
const REPORT_WINDOWS: Record<string, number> = {
  five_hour: 5 * HOUR,
  seven_day: 7 * 24 * HOUR,
  seven_day_opus: 7 * 24 * HOUR,
  seven_day_sonnet: 7 * 24 * HOUR,
}
// Which of them may raise a quota window, and how: `withReport` in shared/quotas.ts.

/** A report that could not be read, in words that never contain the token. */
export class UsageReportError extends Error {
  constructor(
    message: string,
    /** Rate limited: ask again later, and less often. */
    readonly rateLimited = false,
  ) {
    super(message)
    this.name = 'UsageReportError'
  }
}

export interface ReportOptions {
  /** null or omitted: https://api.anthropic.com. */
  baseUrl?: string | null
  /** null or omitted: ~/.claude/.credentials.json. */
  credentialsFile?: string | null
  now: number
  timeoutMs?: number
  home?: string
}

const credentialsSchema = z.object({
  claudeAiOauth: z.object({
    accessToken: z.string().min(1),
    expiresAt: z.number().optional(),
  }),
})

const windowSchema = z.object({
  utilization: z.number().finite().min(0),
  resets_at: z.string().nullable().optional(),
})
/**
 * The 5-hour and 7-day windows are always there (null when a plan has none); the per-model ones
 * come and go. Unknown keys are allowed: the API grows.
 */
const answerSchema = z.object({
  five_hour: windowSchema.nullable(),
  seven_day: windowSchema.nullable(),
  seven_day_opus: windowSchema.nullable().optional(),
  seven_day_sonnet: windowSchema.nullable().optional(),
})

export function credentialsPath(options: Pick<ReportOptions, 'credentialsFile' | 'home'>): string {
  return options.credentialsFile ?? join(options.home ?? homedir(), '.claude', '.credentials.json')
}

/** The access token, checked for expiry; every failure says what to do, never what the file holds. */
function readAccessToken(file: string, now: number): string {
  if (!isAbsolute(file)) {
    throw new UsageReportError(`the credentials file must be an absolute path, not "${file}"`)
  }
  let text: string
  try {
    if (statSync(file).size > MAX_CREDENTIALS_BYTES) {
      throw new UsageReportError(`the credentials file ${file} is too large to be Claude Code's`)
    }
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if (error instanceof UsageReportError) throw error
    const code = (error as NodeJS.ErrnoException).code
    throw new UsageReportError(
      code === 'ENOENT'
        ? `no credentials file at ${file} (log in with Claude Code, or set --credentials FILE; on macOS Claude Code keeps its login in the Keychain)`
        : `cannot read the credentials file ${file} (${code ?? 'unreadable'})`,
    )
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    // Not the parser's message: V8 quotes the start of the text, which may be the token.
    throw new UsageReportError(`the credentials file ${file} is not JSON`)
  }
  const parsed = credentialsSchema.safeParse(json)
  if (!parsed.success) {
    throw new UsageReportError(
      `the credentials file ${file} has no claudeAiOauth.accessToken (is it Claude Code's?)`,
    )
  }
  const { accessToken, expiresAt } = parsed.data.claudeAiOauth
  if (expiresAt !== undefined && expiresAt <= now) {
    throw new UsageReportError(
      `the Claude login in ${file} expired at ${new Date(expiresAt).toISOString()}; run claude once to renew it`,
    )
  }
  return accessToken
}

/** Sending the token in clear is refused: https, or plain http only to this machine (a replay). */
function reportUrl(baseUrl: string): URL {
  let url: URL
  try {
    url = new URL(baseUrl.replace(/\/+$/, '') + USAGE_REPORT_PATH)
  } catch {
    throw new UsageReportError(`the usage report's base URL "${baseUrl}" is not a URL`)
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new UsageReportError(
      `the usage report's base URL must use https (plain http only to 127.0.0.1 or localhost): ${baseUrl}`,
    )
  }
  return url
}

const STATUS_MESSAGES: Record<number, string> = {
  401: 'refused the login (401): run claude once to renew it',
  403: 'refused the login (403): the token lacks the user:profile scope, or the account has no usage report',
  404: 'has no usage report there (404): check the base URL',
  429: 'is rate limiting usage reports (429); the next try waits longer',
}

/** Asks the endpoint for the report; its windows, as the ledger stores them. */
export async function fetchUsageReport(options: ReportOptions): Promise<ReportedWindow[]> {
  const baseUrl = options.baseUrl ?? DEFAULT_REPORT_BASE_URL
  const url = reportUrl(baseUrl)
  const token = readAccessToken(credentialsPath(options), options.now)
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS
  const where = url.origin
  let response: Response
  let body: string
  try {
    response = await fetch(url, {
      headers: {
        authorization: `Bearer ${token}`,
        'anthropic-beta': OAUTH_BETA,
        accept: 'application/json',
        'content-type': 'application/json',
      },
      // A redirect could carry the token somewhere else: the report is read where it was asked.
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    })
    body = await response.text()
  } catch (error) {
    const name = (error as Error).name
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new UsageReportError(`${where} did not answer within ${timeoutMs / 1000}s`)
    }
    const cause = (error as { cause?: { code?: string } }).cause?.code
    throw new UsageReportError(`could not reach ${where}${cause ? ` (${cause})` : ''}`)
  }
  if (!response.ok) {
    const known = STATUS_MESSAGES[response.status]
    throw new UsageReportError(
      `${where} ${known ?? `answered ${response.status}`}`,
      response.status === 429,
    )
  }
  if (body.length > MAX_ANSWER_BYTES) throw new UsageReportError(`${where} answered too much`)
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    throw new UsageReportError(`${where} answered something that is not JSON`)
  }
  const parsed = answerSchema.safeParse(json)
  if (!parsed.success) {
    // The paths only, not the values: an unknown answer is not echoed anywhere.
    const paths = parsed.error.issues.map((issue) => issue.path.join('.') || 'the answer')
    throw new UsageReportError(
      `${where} answered a usage report of an unknown shape (${[...new Set(paths)].join(', ')})`,
    )
  }
  return toReportedWindows(parsed.data, options.now)
}

function toReportedWindows(
  answer: Partial<Record<string, z.infer<typeof windowSchema> | null>>,
  fetchedAt: number,
): ReportedWindow[] {
  const windows: ReportedWindow[] = []
  for (const [name, durationMs] of Object.entries(REPORT_WINDOWS)) {
    const window = answer[name]
    if (!window) continue
    const resetsAt = window.resets_at ? Date.parse(window.resets_at) : NaN
    windows.push({
      window: name,
      durationMs,
      utilization: window.utilization / 100,
      resetsAt: Number.isNaN(resetsAt) ? null : resetsAt,
      fetchedAt,
    })
  }
  return windows
}

/**
 * Replaces the agent's stored report with this one (a window the report dropped goes too). No
 * event: the table is a copy of someone else's figure, read every few minutes; an event per read
 * would fill the append-only log with nothing the factory did.
 */
export function storeUsageReport(ledger: Ledger, agent: string, windows: ReportedWindow[]): void {
  ledger.change('usage-report', () => {
    ledger.sqlite.prepare('DELETE FROM usage_reports WHERE agent = ?').run(agent)
    const insert = ledger.sqlite.prepare(
      `INSERT INTO usage_reports (agent, window, duration_ms, utilization, resets_at, fetched_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    )
    for (const w of windows) {
      insert.run(agent, w.window, w.durationMs, w.utilization, w.resetsAt, w.fetchedAt)
    }
  })
}

interface ReportRow {
  agent: string
  window: string
  durationMs: number
  utilization: number
  resetsAt: number | null
  fetchedAt: number
}

/**
 * Every agent's (or one agent's) report windows still current at `now`, in one query: a window
 * whose reset time has passed says nothing about the new window; one without a reset time counts
 * for one window's length after it was read.
 */
export function currentReports(
  ledger: Ledger,
  now: number,
  only?: string,
): Map<string, ReportedWindow[]> {
  const rows = ledger.sqlite
    .prepare(
      `SELECT agent, window, duration_ms AS durationMs, utilization, resets_at AS resetsAt,
              fetched_at AS fetchedAt
       FROM usage_reports ${only === undefined ? '' : 'WHERE agent = ?'} ORDER BY agent, window`,
    )
    .all(...(only === undefined ? [] : [only])) as ReportRow[]
  const reports = new Map<string, ReportedWindow[]>()
  for (const { agent, ...window } of rows) {
    if (!isReportCurrent(window, now)) continue
    reports.set(agent, [...(reports.get(agent) ?? []), window])
  }
  return reports
}
