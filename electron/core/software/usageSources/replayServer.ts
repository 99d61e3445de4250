// For tests: a local stand-in for Anthropic's OAuth usage endpoint, speaking its real shapes and
// checking what a real client must send. Production code reaches it through its base URL option.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { OAUTH_BETA, USAGE_REPORT_PATH } from './usageReport'

/** A real answer's shape (charlieyou/aim QUOTA_APIS.md, 2026-01), windows as the test sets them. */
export function reportAnswer(
  windows: Partial<Record<string, { utilization: number; resets_at: string | null } | null>> = {},
): Record<string, unknown> {
  return {
    five_hour: { utilization: 24.0, resets_at: '2026-11-25T15:59:59.600956+00:00' },
    seven_day: { utilization: 36.0, resets_at: '2026-11-30T06:59:59.600974+00:00' },
    seven_day_sonnet: { utilization: 1.0, resets_at: '2026-11-30T14:59:59.600981+00:00' },
    seven_day_opus: null,
    seven_day_oauth_apps: null,
    iguana_necktie: null,
    extra_usage: { is_enabled: false, monthly_limit: null, used_credits: null, utilization: null },
    ...windows,
  }
}

export type ReplayAnswer =
  | { status: number; json: unknown }
  | { status: number; text: string }
  /** Never answers (until the server closes): for timeouts. */
  | 'hang'

export interface ReplayServer {
  baseUrl: string
  requests: { method: string; url: string; headers: IncomingHttpHeaders }[]
  /** What the next requests get (a request without the right headers gets 401 regardless). */
  answer: ReplayAnswer
  close(): Promise<void>
}

export async function startReplayServer(token: string): Promise<ReplayServer> {
  const hanging = new Set<ServerResponse>()
  const state: ReplayServer = {
    baseUrl: '',
    requests: [],
    answer: { status: 200, json: reportAnswer() },
    close: () =>
      new Promise((done) => {
        for (const response of hanging) response.destroy()
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
  const server = createServer((request, response) => {
    state.requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
    })
    const send = (status: number, body: string, type = 'application/json') => {
      response.writeHead(status, { 'content-type': type })
      response.end(body)
    }
    if (request.method !== 'GET' || request.url !== USAGE_REPORT_PATH) {
      return send(404, JSON.stringify({ type: 'error', error: { type: 'not_found_error' } }))
    }
    // As the real endpoint: no token or no beta header, no report.
    if (
      request.headers.authorization !== `Bearer ${token}` ||
      request.headers['anthropic-beta'] !== OAUTH_BETA
    ) {
      return send(
        401,
        JSON.stringify({
          type: 'error',
          error: { type: 'authentication_error', message: 'OAuth authentication is required' },
        }),
      )
    }
    const answer = state.answer
    if (answer === 'hang') {
      hanging.add(response)
      return
    }
    if ('json' in answer) send(answer.status, JSON.stringify(answer.json))
    else send(answer.status, answer.text, 'text/html')
  })
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return state
}

/** The real 429 body (anthropics/claude-code issue #30930). */
export const RATE_LIMITED: ReplayAnswer = {
  status: 429,
  json: { error: { message: 'Rate limited. Please try again later.', type: 'rate_limit_error' } },
}
