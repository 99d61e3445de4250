// `factory serve`: the browser mode. Runs until Ctrl+C, printing the URL (with its token) to open.
// The token is kept beside the ledger, so tabs left open across a restart get back in by themselves.
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startServer } from '../serve/server'
import { servingToken } from '../serve/tokenFile'
import type { Command } from './commands'

export const DEFAULT_PORT = 7077

/** The built renderer sits beside the built CLI: out/main/cli.js → out/renderer. */
function rendererDir(env: NodeJS.ProcessEnv): string {
  return env.FACTORY_RENDERER_DIR ?? fileURLToPath(new URL('../renderer/', import.meta.url))
}

export function openInBrowser(url: string): Promise<boolean> {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]]
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true })
    child.once('error', () => resolve(false))
    child.once('spawn', () => {
      child.unref()
      resolve(true)
    })
  })
}

export const serveCommand: Command = {
  usage: 'factory serve [--port N] [--open] [--new-token]',
  summary: 'open the board in a browser (loopback only, behind a token kept beside the ledger)',
  options: {
    port: { type: 'string' },
    open: { type: 'boolean' },
    'new-token': { type: 'boolean' },
  },
  async run(c) {
    const raw = typeof c.values.port === 'string' ? c.values.port : undefined
    if (raw !== undefined && !/^\d+$/.test(raw)) c.usage(`--port takes a number, not "${raw}"`)
    const port = raw === undefined ? DEFAULT_PORT : Number(raw)
    if (port > 65535) c.usage('--port must be at most 65535')
    const engine = c.engine({ warmSupervisor: true })
    // Runs outlive any window; those whose supervisor died meanwhile are marked lost.
    engine.recoverRuns({ watch: true })
    // Claude Code's logs and the subscription's report, for agents that read them.
    engine.watchUsageSources()
    engine.dispatchAutomatically()
    // `--new-token` locks out every browser that was let in before (they are told how to get in).
    const { token } = servingToken(engine.ledger.path, { rotate: c.values['new-token'] === true })
    const start = (p: number): ReturnType<typeof startServer> =>
      startServer({ engine, rendererDir: rendererDir(c.env), port: p, token })
    const server = await start(port).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') throw error
      if (raw !== undefined) c.usage(`port ${port} is in use; pick another with --port`)
      return start(0)
    })
    c.say(
      c.json
        ? JSON.stringify({
            url: server.url,
            port: server.port,
            token: server.token,
            db: engine.ledger.path,
          })
        : `Factory Stack is serving the board for ${engine.ledger.path}\n\n  ${server.url}\n\nOpen that URL (it carries the board's token). Tabs left open reconnect by themselves when serve starts again on this port; --new-token locks them out. Ctrl+C stops.`,
    )
    if (c.values.open && !(await openInBrowser(server.url))) {
      c.say('Could not open a browser here; open the URL above yourself.')
    }
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop)
        process.off('SIGTERM', stop)
        void server.close().then(resolve)
      }
      process.on('SIGINT', stop)
      process.on('SIGTERM', stop)
    })
    return { json: { stopped: true }, text: 'Stopped.' }
  },
}
