// `npm start`: build, then open the desktop window; where Electron's binary is missing and cannot be
// downloaded (as on CI and the development machines), say so and open the browser mode instead.
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)
const args = process.argv.slice(2)

function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', ...options })
  return result.status === 0
}

function electronBinary() {
  const electronDir = join(root, 'node_modules/electron')
  if (!existsSync(join(electronDir, 'path.txt'))) {
    // Electron's package fetches its binary on first use; run that fetch quietly and report briefly.
    console.log("Downloading Electron's binary (first start only)…")
    const fetch = spawnSync(process.execPath, [join(electronDir, 'install.js')], {
      encoding: 'utf8',
      timeout: 15 * 60_000,
    })
    if (fetch.status !== 0) {
      const reason = (fetch.stderr || fetch.error?.message || 'unknown error').trim().split('\n')[0]
      console.error(
        `Electron's binary is not installed and could not be downloaded here (${reason}).`,
      )
      return undefined
    }
  }
  try {
    return require('electron')
  } catch (error) {
    console.error(`Electron's binary cannot be used: ${String(error.message).split('\n')[0]}`)
    return undefined
  }
}

/**
 * better-sqlite3 is built for Node (the CLI and the tests use it). Electron needs its own ABI, so a
 * second copy is built beside it once per Electron version and handed to the app by path.
 */
function electronSqliteBinding() {
  const version = JSON.parse(
    readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'),
  ).version
  const dir = join(root, '.cache', `electron-${version}`, 'better-sqlite3')
  const binding = join(dir, 'build', 'Release', 'better_sqlite3.node')
  if (existsSync(binding)) return binding
  console.log(`Building better-sqlite3 for Electron ${version} (once)…`)
  rmSync(dir, { recursive: true, force: true })
  cpSync(join(root, 'node_modules/better-sqlite3'), dir, {
    recursive: true,
    filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`),
  })
  const env = { ...process.env }
  delete env.npm_config_nodedir // headers must be Electron's, not this Node's
  const prebuilt = run(
    join(root, 'node_modules/.bin/prebuild-install'),
    ['--runtime', 'electron', '--target', version],
    { cwd: dir, env },
  )
  const gyp = process.env.npm_config_node_gyp
  const built =
    prebuilt ||
    (gyp &&
      run(
        process.execPath,
        [
          gyp,
          'rebuild',
          '--release',
          `--target=${version}`,
          '--runtime=electron',
          '--dist-url=https://electronjs.org/headers',
        ],
        { cwd: dir, env },
      ))
  return built && existsSync(binding) ? binding : undefined
}

if (
  !run(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'])
) {
  console.error('The build failed; see above.')
  process.exit(1)
}

const electron = electronBinary()
const binding = electron && electronSqliteBinding()
if (electron && binding) {
  const child = spawn(electron, [root, ...args], {
    stdio: 'inherit',
    env: { ...process.env, FACTORY_SQLITE_BINDING: binding },
  })
  child.on('exit', (code) => process.exit(code ?? 0))
} else {
  if (electron) console.error('better-sqlite3 could not be built for Electron.')
  console.error('Opening the browser mode instead (the same board, engine and ledger).\n')
  const child = spawn(
    process.execPath,
    [join(root, 'bin/factory.js'), 'serve', '--open', ...args],
    { stdio: 'inherit' },
  )
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
  child.on('exit', (code) => process.exit(code ?? 0))
}
