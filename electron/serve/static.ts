// Serves the built renderer (the same files Electron loads) from one folder, never outside it.
import { createReadStream, existsSync, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, resolve, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

/** Answers the request, or returns false (having sent nothing) when the path cannot be decoded. */
export function serveStatic(
  rendererDir: string,
  pathname: string,
  response: ServerResponse,
): boolean {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return false // "%E0%A4%A" and the like: a malformed request, not a reason to crash the server
  }
  const root = resolve(rendererDir)
  let file = resolve(join(root, normalize(decoded)))
  if (file !== root && !file.startsWith(root + sep)) {
    response.writeHead(404).end('not found')
    return true
  }
  // Any path that is not a file is the single-page app.
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html')
  if (!existsSync(file)) {
    response
      .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
      .end(`The board is not built yet (${root} is missing): run \`npm run build\`.`)
    return true
  }
  const isHtml = extname(file) === '.html'
  response.writeHead(200, {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'cache-control': isHtml ? 'no-store' : 'public, max-age=31536000, immutable',
  })
  createReadStream(file).pipe(response)
  return true
}
