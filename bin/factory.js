#!/usr/bin/env node
// The `factory` command: runs the built CLI (out/main/cli.js), which `npm run build` produces.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url))
if (!existsSync(cli)) {
  process.stderr.write(
    `factory: the CLI is not built yet (${cli} is missing); run \`npm run build\` first\n`,
  )
  process.exit(1)
}
await import(cli)
