// Entry point of the `factory` command (bin/factory.js loads the built copy of this file).
import { runCli } from './cli'

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
