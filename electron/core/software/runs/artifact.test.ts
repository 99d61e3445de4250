// artifact.json and its screenshots come from the agent: a FIFO, a link to /dev/zero or an
// oversized file fails the run quickly instead of hanging or flooding the supervisor.
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../testing'
import { readArtifact } from './artifact'

let dir: string
let cleanup: () => void
let outputDir: string
let cwd: string
let destination: string
beforeEach(() => {
  ;({ dir, cleanup } = tempDir('factory-artifact-'))
  outputDir = join(dir, 'output')
  cwd = join(dir, 'work')
  destination = join(dir, 'artifacts', 'r_1')
  mkdirSync(outputDir)
  mkdirSync(cwd)
})
afterEach(() => cleanup())

const posix = process.platform !== 'win32'
const artifactPath = () => join(outputDir, 'artifact.json')
const read = () => readArtifact({ outputDir, cwd, destination })
const writeArtifact = (screenshots: string[] = []) =>
  writeFileSync(artifactPath(), JSON.stringify({ name: 'App', version: '1.0', screenshots }))
const notRegular = { kind: 'invalid', problem: 'artifact.json is not a regular file' }

describe('readArtifact', () => {
  it('reads an artifact and copies its screenshots (a link to a file inside is fine)', () => {
    writeFileSync(join(outputDir, 'shot.png'), 'png bytes')
    writeFileSync(join(cwd, 'real.png'), 'other bytes')
    symlinkSync(join(cwd, 'real.png'), join(outputDir, 'link.png'))
    writeArtifact(['shot.png', 'link.png'])
    const reading = read()
    expect(reading).toEqual({
      kind: 'artifact',
      artifact: {
        name: 'App',
        version: '1.0',
        url: '',
        changelog: '',
        screenshots: [join(destination, '1-shot.png'), join(destination, '2-link.png')],
      },
    })
    expect(readFileSync(join(destination, '1-shot.png'), 'utf8')).toBe('png bytes')
    expect(readFileSync(join(destination, '2-link.png'), 'utf8')).toBe('other bytes')
  })

  it('is none without artifact.json, and invalid for bad JSON or over 1 MB', () => {
    expect(read()).toEqual({ kind: 'none' })
    writeFileSync(artifactPath(), '{"name":')
    expect(read()).toMatchObject({ kind: 'invalid', problem: /not valid JSON/ })
    writeFileSync(artifactPath(), ' '.repeat(1024 * 1024 + 1))
    expect(read()).toEqual({ kind: 'invalid', problem: 'artifact.json is larger than 1 MB' })
  })

  it.runIf(posix)('does not hang on a FIFO artifact.json', { timeout: 5000 }, () => {
    execFileSync('mkfifo', [artifactPath()])
    expect(read()).toEqual(notRegular)
  })

  it.runIf(posix)('does not follow artifact.json to /dev/zero', { timeout: 5000 }, () => {
    symlinkSync('/dev/zero', artifactPath())
    expect(read()).toEqual(notRegular)
  })

  it('rejects a directory as artifact.json', () => {
    mkdirSync(artifactPath())
    expect(read()).toEqual(notRegular)
  })

  it.runIf(posix)(
    'rejects a screenshot that is a FIFO or a link to /dev/zero',
    { timeout: 5000 },
    () => {
      execFileSync('mkfifo', [join(outputDir, 'fifo.png')])
      writeArtifact(['fifo.png'])
      expect(read()).toEqual({
        kind: 'invalid',
        problem: 'artifact.json: screenshot "fifo.png" is not a regular file',
      })
      symlinkSync('/dev/zero', join(outputDir, 'zero.png'))
      writeArtifact(['zero.png'])
      expect(read()).toMatchObject({ kind: 'invalid', problem: /"zero.png" is outside/ })
      mkdirSync(join(outputDir, 'folder.png'))
      writeArtifact(['folder.png'])
      expect(read()).toMatchObject({ kind: 'invalid', problem: /"folder.png" is not a regular/ })
      writeArtifact(['missing.png'])
      expect(read()).toMatchObject({ kind: 'invalid', problem: /"missing.png" does not exist/ })
    },
  )
})
