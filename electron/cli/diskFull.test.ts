// A run on a disk that fills up, as a user meets it: the ledger and its files on a small real
// filesystem (tmpfs), an agent that fills it, and `factory dispatch --wait` in front. The run must
// say "disk full" within seconds (it used to wait two minutes and end `lost`), and nothing stored
// before may be lost. Mounting needs root, as in CI and this sandbox; elsewhere the suite is left out.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDir } from '../core/testing'
import { FIXTURE_AGENT, stopLeftoverRuns } from '../core/software/runs/testing'
import { cliOn } from './testing'

function canMount(): boolean {
  if (process.getuid?.() !== 0) return false
  const { dir, cleanup } = tempDir('factory-mount-probe-')
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' })
    execFileSync('umount', [dir], { stdio: 'ignore' })
    return true
  } catch {
    return false
  } finally {
    cleanup()
  }
}

let outer: { dir: string; cleanup: () => void }
let disk: string
const ledgerPath = () => join(disk, 'ledger.db')
const factory = cliOn(ledgerPath)
const filler = () => join(disk, 'filler.bin')

describe.runIf(canMount())('a run whose disk fills up', () => {
  beforeEach(() => {
    outer = tempDir('factory-full-disk-')
    disk = join(outer.dir, 'disk')
    mkdirSync(disk)
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', disk])
  })
  afterEach(() => {
    stopLeftoverRuns(ledgerPath())
    // Lazy: a supervisor that is still closing its files must not keep the mount.
    execFileSync('umount', ['-l', disk])
    outer.cleanup()
  })

  async function setUp(mode: 'talk' | 'quiet'): Promise<void> {
    const command = `"${process.execPath}" "${FIXTURE_AGENT}" fill "${filler()}" ${mode}`
    expect(
      (await factory('agent', 'add', 'bob', '--runner', 'command', '--command', command)).code,
    ).toBe(0)
    expect((await factory('spec', 'add', '--title', 'Written before the disk filled')).code).toBe(0)
    expect((await factory('spec', 'add', '--title', 'Fill the disk')).code).toBe(0)
  }

  async function afterSpaceIsFreed(): Promise<void> {
    rmSync(filler(), { force: true })
    const shown = await factory('spec', 'show', 's_1', '--json')
    expect(shown.json()).toMatchObject({ title: 'Written before the disk filled' })
    const sqlite = new Database(ledgerPath(), { readonly: true })
    try {
      expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok')
    } finally {
      sqlite.close()
    }
  }

  it('an agent still printing: dispatch --wait says the disk is full, and the run is failed, not lost', async () => {
    await setUp('talk')
    const started = Date.now()
    const waited = await factory('dispatch', 's_2', '--agent', 'bob', '--wait')
    // Before: two minutes of retries, then `lost`. The 15 s bound only tells those two apart.
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(waited.code).toBe(1)
    expect(waited.stdout).toContain('failed: disk_full')
    expect(waited.stdout).toMatch(
      /the disk is full: no room left for .*free some space, then retry/,
    )
    const runDir = join(disk, 'ledger.db.files', 'runs', 'r_1')
    // The reserve that made room for the outcome is gone; the log kept what fitted.
    expect(readdirSync(runDir)).not.toContain('reserve.bin')
    expect(existsSync(join(runDir, 'outcome.json'))).toBe(true)
    await afterSpaceIsFreed()
    const run = (await factory('run', 'show', 'r_1', '--json')).json()
    expect(run).toMatchObject({ state: 'failed', failure: { class: 'disk_full' } })
  })

  it('an agent that went quiet after filling the disk is stopped too, and its spec can run again', async () => {
    await setUp('quiet')
    const waited = await factory('dispatch', 's_2', '--agent', 'bob', '--wait', '--json')
    expect(waited.code).toBe(1)
    expect(waited.json()).toMatchObject({
      state: 'failed',
      failure: { class: 'disk_full', message: expect.stringContaining('the disk is full') },
    })
    await afterSpaceIsFreed()
    // With room again (and an agent that no longer fills it), the same spec runs to its end.
    const done = `"${process.execPath}" "${FIXTURE_AGENT}" done`
    expect((await factory('agent', 'set', 'bob', '--command', done)).code).toBe(0)
    const again = await factory('run', 'retry', 'r_1', '--wait', '--json')
    expect(again.code).toBe(0)
    expect(again.json()).toMatchObject({ id: 'r_2', specId: 's_2', state: 'done' })
  })
})
