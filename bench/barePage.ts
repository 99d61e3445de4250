// The baseline for the board's first paint: the least a browser page can do with the same data —
// fetch the same board JSON from the same engine over loopback and draw the same number of cards
// per cell as plain elements, with no framework, styles or live updates. Our first paint is
// printed as a ratio to it, so the figure means the same on a fast machine and a slow one.
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Engine } from '../electron/core/engine'

const PAGE = `<!doctype html><meta charset="utf-8"><title>bare board</title><div id="root"></div>
<script src="/bare.js"></script>`

/** Draws the first `perCell` cards of every stage × lane, as the board does on its first paint. */
const script = (perCell: number) => `
fetch('/board', { method: 'POST' }).then((r) => r.json()).then((envelope) => {
  const cells = new Map()
  for (const card of envelope.result.specs) {
    const key = card.stage + ':' + (card.agent ?? '')
    const cell = cells.get(key) ?? []
    if (cell.length < ${perCell}) cell.push(card)
    cells.set(key, cell)
  }
  const root = document.getElementById('root')
  for (const cards of cells.values()) {
    const cell = document.createElement('div')
    for (const card of cards) {
      const element = document.createElement('div')
      element.dataset.testid = 'card'
      element.textContent = card.title
      cell.append(element)
    }
    root.append(cell)
  }
})`

export async function startBarePage(
  engine: Engine,
  perCell: number,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    if (request.url === '/bare.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script(perCell))
    } else if (request.url === '/board') {
      // As the browser mode answers board/get: the operation's envelope, as JSON.
      const body = JSON.stringify(engine.invoke('board/get', {}, 'bench'))
      response.writeHead(200, { 'content-type': 'application/json' }).end(body)
    } else {
      response.writeHead(200, { 'content-type': 'text/html' }).end(PAGE)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
