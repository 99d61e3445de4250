// Entry point of the `factory` command (bin/factory.js loads the built copy of this file).
import { runCli } from './cli'

// `factory log | head`: the reader has gone, so there is nobody left to tell; end quietly, as
// other command-line tools do, instead of crashing on EPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw error
  })
}

runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  stderr: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  write: (text) => process.stdout.write(text),
  env: process.env,
}).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`factory: ${String(error)}\n`)
    process.exitCode = 1
  },
)
