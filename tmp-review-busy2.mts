import { join } from 'node:path'
import Database from 'better-sqlite3'
import { fixtureCommand, runEngine, waitFor, waitForEnd } from './electron/core/software/testing'

for (const holdMs of [Number(process.argv[2])]) {
  const { engine, cleanup, dir } = runEngine()
  let other: Database.Database | undefined
  try {
    engine.call('agent/add', { name: 'bob', runner: 'command', command: fixtureCommand('slow', '1') }, 'test')
    const spec = engine.call('spec/add', { title: 'x', body: 'y' }, 'test').id
    const run = engine.call('run/dispatch', { spec, agent: 'bob' }, 'test')
    await waitFor(() => engine.call('run/get', { id: run.id }, 'test').state, (s) => s === 'running', 'running')
    other = new Database(join(dir, 'ledger.db'))
    other.exec('BEGIN IMMEDIATE')
    await new Promise((r) => setTimeout(r, holdMs))
    other.exec('COMMIT'); other.close(); other = undefined
    await new Promise((r) => setTimeout(r, 3000))
    engine.recoverRuns()
    const end = await waitForEnd(engine, run.id, 60000)
    console.log(`hold ${holdMs}ms ->`, end.state, end.failure)
  } catch (e) { console.log('ERR', e) } finally { if (other) { other.exec('ROLLBACK'); other.close() }; cleanup() }
}
