// Who may talk to `factory serve`: only pages and programs on this machine that hold the per-start
// token, and only under this server's own Host and Origin, which defeats DNS rebinding and CSRF.
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** Why a request was refused, for the page a person sees (the `reason` is for programs). */
export type Refusal = 'foreign-host' | 'foreign-origin' | 'missing-token' | 'wrong-token'

export type GuardVerdict =
  { ok: true } | { ok: false; status: 401 | 403; refusal: Refusal; reason: string }

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

export function cookieName(port: number): string {
  // Cookies ignore ports; naming the cookie after the port keeps two servers' tokens apart.
  return `factory_token_${port}`
}

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`])
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key !== name) continue
    try {
      return decodeURIComponent(value.join('='))
    } catch {
      // Malformed percent-encoding ("%E0%A4%A"), which a page on another local port can plant
      // because cookies ignore ports: no token, not a crash.
      return undefined
    }
  }
  return undefined
}

/** The token a request carries: bearer header, `?token=` or this server's cookie. */
export function presentedToken(
  request: IncomingMessage,
  url: URL,
  port: number,
): string | undefined {
  const auth = request.headers.authorization
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length)
  return url.searchParams.get('token') ?? readCookie(request.headers.cookie, cookieName(port))
}

export function checkRequest(
  request: IncomingMessage,
  url: URL,
  port: number,
  token: string,
): GuardVerdict {
  const hosts = allowedHosts(port)
  const host = request.headers.host ?? ''
  if (!hosts.has(host)) {
    return { ok: false, status: 403, refusal: 'foreign-host', reason: `foreign Host "${host}"` }
  }
  const origin = request.headers.origin
  if (origin !== undefined && ![...hosts].some((allowed) => origin === `http://${allowed}`)) {
    return {
      ok: false,
      status: 403,
      refusal: 'foreign-origin',
      reason: `foreign Origin "${origin}"`,
    }
  }
  const presented = presentedToken(request, url, port)
  if (!presented || !sameSecret(presented, token)) {
    return {
      ok: false,
      status: 401,
      refusal: presented ? 'wrong-token' : 'missing-token',
      reason: presented ? 'wrong token' : 'missing token: open the URL `factory serve` printed',
    }
  }
  return { ok: true }
}
