// The Electron shell: one window, IPC registration over the shared handler map, pushed events.
// Everything of the domain lives in electron/core; this file only carries messages.
import { app, BrowserWindow, ipcMain, shell } from 'electron'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { OPERATION_NAMES } from '../../shared/api'
import { IPC_CHANNEL_PREFIX, IPC_EVENT_CHANNEL } from '../../shared/bridge'
import type { Envelope } from '../../shared/errors'
import { createEngine, type Engine } from '../core/engine'
import { resolveLedgerPath } from '../core/paths'
import { isOwnPage } from './sender'

const here = import.meta.dirname
const rendererUrl = process.env.ELECTRON_RENDERER_URL
  ? process.env.ELECTRON_RENDERER_URL
  : pathToFileURL(join(here, '../renderer/index.html')).href

function dbFlag(argv: string[]): string | undefined {
  const index = argv.indexOf('--db')
  return index >= 0 ? argv[index + 1] : argv.find((a) => a.startsWith('--db='))?.slice(5)
}

function registerIpc(engine: Engine): void {
  for (const op of OPERATION_NAMES) {
    // An asynchronous operation (usage/sync) answers a promise of its envelope; ipcMain awaits it.
    type Answer = Envelope<unknown> | Promise<Envelope<unknown>>
    ipcMain.handle(`${IPC_CHANNEL_PREFIX}${op}`, (event, input: unknown): Answer => {
      // Only our own page may call the engine.
      if (!isOwnPage(event.senderFrame?.url, rendererUrl)) {
        return {
          ok: false,
          error: { code: 'Forbidden', message: 'this frame may not call the engine' },
        }
      }
      return engine.invoke(op, input, 'desktop')
    })
  }
}

function createWindow(engine: Engine): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    title: 'Factory Stack',
    show: false,
    backgroundColor: '#111318',
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  })
  window.once('ready-to-show', () => window.show())
  // Links open in the system browser; the window itself never navigates away or opens popups.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//.test(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
  window.webContents.on('will-navigate', (event, url) => {
    if (url !== window.webContents.getURL()) event.preventDefault()
  })
  const unsubscribe = engine.subscribe((event) => {
    if (!window.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, { kind: 'ledger', event })
  })
  const unsubscribeOutput = engine.subscribeRunOutput((event) => {
    if (!window.isDestroyed()) window.webContents.send(IPC_EVENT_CHANNEL, event)
  })
  window.on('closed', () => {
    unsubscribe()
    unsubscribeOutput()
  })
  void window.loadURL(rendererUrl)
  return window
}

void app.whenReady().then(() => {
  const engine = createEngine({
    dbPath: resolveLedgerPath(dbFlag(process.argv)),
    // Set by scripts/start.mjs: better-sqlite3 built for Electron's ABI, kept apart from Node's build.
    ...(process.env.FACTORY_SQLITE_BINDING
      ? { nativeBinding: process.env.FACTORY_SQLITE_BINDING }
      : {}),
    // Started from a dock or menu, the app lacks the login shell's PATH, where agent CLIs live.
    loginShell: true,
    warmSupervisor: true,
  })
  // Runs outlive the app; those whose supervisor died while it was closed are marked lost.
  engine.recoverRuns({ watch: true })
  // Claude Code's logs and the subscription's report, for agents that read them.
  engine.watchUsageSources()
  engine.dispatchAutomatically()
  registerIpc(engine)
  createWindow(engine)
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow(engine)
  })
  app.on('will-quit', () => engine.close())
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
