// The Unassigned lane is the allocator's queue: its header says whether the allocator dispatches
// by itself, caps runs across every lane, and runs a round on request, saying what it did.
import { useState } from 'react'
import { toFactoryError } from '../../../shared/errors'
import { client } from '../client'
import { useCapacity } from '../stores/capacity'
import { useUi } from '../stores/ui'
import './capacity.css'

export function AllocatorControls() {
  const settings = useCapacity((s) => s.settings)
  const [busy, setBusy] = useState(false)
  if (!settings) return null
  const { showToast } = useUi.getState()
  const change = async (patch: { autoDispatch?: boolean; maxConcurrentRuns?: number | null }) => {
    try {
      useCapacity.setState({ settings: await client().call('settings/set', patch) })
    } catch (error) {
      showToast({
        tone: 'error',
        message: `Could not change the setting: ${toFactoryError(error).message}`,
      })
    }
  }
  const allocate = async () => {
    setBusy(true)
    try {
      const round = await client().call('allocator/round', {})
      const started = round.dispatched.filter((d) => d.run)
      const waiting = round.waiting.length + round.moreWaiting
      const first = round.waiting[0]
      showToast({
        tone: 'info',
        message:
          started.length > 0
            ? `Started ${started.map((d) => `${d.spec} on ${d.agent}`).join(', ')}${waiting ? `; ${waiting} waiting` : ''}`
            : first
              ? `Nothing started: ${first.spec} ${first.reason}${waiting > 1 ? ` (and ${waiting - 1} more)` : ''}`
              : 'Nothing is queued: drop a spec on Software · Unassigned to queue it',
      })
    } catch (error) {
      showToast({
        tone: 'error',
        message: `The allocator could not run: ${toFactoryError(error).message}`,
      })
    } finally {
      setBusy(false)
    }
  }
  return (
    <span className="allocator" data-testid="allocator-controls">
      <label
        className="allocator-switch"
        title="Queued specs go to the lane with the most headroom by themselves"
      >
        <input
          type="checkbox"
          checked={settings.autoDispatch}
          onChange={(e) => void change({ autoDispatch: e.target.checked })}
        />
        Auto-dispatch
      </label>
      <label className="allocator-cap">
        Max runs
        <select
          className="select select-small"
          value={settings.maxConcurrentRuns ?? ''}
          onChange={(e) =>
            void change({
              maxConcurrentRuns: e.target.value === '' ? null : Number(e.target.value),
            })
          }
        >
          <option value="">no limit</option>
          {[1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 30, 50].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
          {settings.maxConcurrentRuns !== null &&
            ![1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 30, 50].includes(settings.maxConcurrentRuns) && (
              <option value={settings.maxConcurrentRuns}>{settings.maxConcurrentRuns}</option>
            )}
        </select>
      </label>
      <button
        type="button"
        className="button button-secondary button-small"
        disabled={busy}
        onClick={() => void allocate()}
        data-testid="allocate-now"
      >
        {busy ? 'Allocating…' : 'Allocate now'}
      </button>
    </span>
  )
}
