// What a person sees when the guard turns their browser away: a short page in words saying how to
// get in, instead of the JSON error a program gets. It holds nothing secret and runs no script.
import type { IncomingMessage } from 'node:http'
import type { Refusal } from './guard'

/** A page load (a navigation, a reload, a pasted link) rather than a program's request. */
export function wantsPage(request: IncomingMessage): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false
  const accept = String(request.headers.accept ?? '')
  return request.headers['sec-fetch-mode'] === 'navigate' || /\btext\/html\b/.test(accept)
}

const OPEN_THE_ADDRESS =
  'Open the address the factory printed when it started. It carries the key that lets this browser in, and the browser keeps it for as long as the factory runs with that key.'

function words(refusal: Refusal, port: number): { heading: string; lines: string[] } {
  const home = `http://127.0.0.1:${port}/`
  switch (refusal) {
    case 'missing-token':
      return {
        heading: 'This browser has no key to the board yet',
        lines: [
          'The board only opens for a browser that came in through its address.',
          OPEN_THE_ADDRESS,
        ],
      }
    case 'wrong-token':
      return {
        heading: 'This key does not open the board any more',
        lines: [
          'The factory was started again with a new key, or the address was copied only in part.',
          OPEN_THE_ADDRESS,
        ],
      }
    case 'foreign-host':
      return {
        heading: 'The board answers only on this computer’s own address',
        lines: [
          `Reach it at ${home} (or localhost on the same port), never under another name.`,
          OPEN_THE_ADDRESS,
        ],
      }
    case 'foreign-origin':
      return {
        heading: 'Another site tried to reach the board',
        lines: [
          'The board refuses requests that come from other sites, so nothing was done.',
          OPEN_THE_ADDRESS,
        ],
      }
  }
}

const STYLE = `
:root { color-scheme: light dark; --bg: #f6f7f9; --panel: #fff; --text: #1d2330; --muted: #5b6475; --line: #dde1e8; --accent: #3b5bdb; }
@media (prefers-color-scheme: dark) { :root { --bg: #14171d; --panel: #1c2029; --text: #e6e9ef; --muted: #a0a8b8; --line: #2e3441; --accent: #8ea6ff; } }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg); color: var(--text);
  font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; padding: 24px; }
main { max-width: 34rem; background: var(--panel); border: 1px solid var(--line); border-radius: 12px; padding: 28px 32px; }
.brand { margin: 0 0 14px; color: var(--muted); font-size: 13px; font-weight: 600; letter-spacing: .02em; }
.brand::before { content: ""; display: inline-block; width: 10px; height: 10px; border-radius: 3px; background: var(--accent); margin-right: 8px; vertical-align: 0; }
h1 { margin: 0 0 12px; font-size: 20px; line-height: 1.3; }
p { margin: 0 0 10px; }
p:last-child { margin-bottom: 0; }
`

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

export function refusalPage(refusal: Refusal, port: number): string {
  const { heading, lines } = words(refusal, port)
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Factory Stack — ${escapeHtml(heading)}</title>
<style>${STYLE}</style>
</head>
<body>
<main data-refusal="${refusal}">
<p class="brand">Factory Stack</p>
<h1>${escapeHtml(heading)}</h1>
${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
</main>
</body>
</html>
`
}
