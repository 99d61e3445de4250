// The `factory` process itself: output piped into a reader that stops early (`| head`).
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterEach, expect, it } from 'vitest'
import { openLedger } from '../core/db/ledger'
import { tempDir } from '../core/testing'

const CLI = fileURLToPath(new URL('./main.ts', import.meta.url))
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

let cleanup = () => {}
afterEach(() => cleanup())

it('ends quietly when the reader of its output goes away, as `factory log | head` does', async () => {
  const temp = tempDir()
  cleanup = temp.cleanup
  const db = join(temp.dir, 'ledger.db')
  const ledger = openLedger({ path: db })
  ledger.change('test', (c) => {
    for (let i = 0; i < 5000; i++)
      c.append({ type: 'spec.edited', subject: `s_${i}`, payload: { i } })
  })
  ledger.close()
  const child = spawn(
    process.execPath,
    ['--import', TSX, CLI, 'log', '--limit', '5000', '--json', '--db', db],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  // Read the first bytes, then hang up, like `head -c 10`.
  child.stdout.once('data', () => child.stdout.destroy())
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  expect(stderr).not.toContain('EPIPE')
  expect(code).toBe(0)
})
