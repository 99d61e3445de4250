// The Unassigned lane is the allocator's queue: its header says whether the allocator dispatches
// by itself, caps runs across every lane, and runs a round on request, saying what it did and why
// there ("Started “X” on bob: 6% of 5h runs used, 0/2 running · alice paused until 18:00"), or why
// nothing could start.
import { useState } from 'react'
import { describeRound } from '../../../shared/allocation'
import { toFactoryError } from '../../../shared/errors'
import { withoutCliHints } from '../board/wording'
import { client } from '../client'
import { useBoard } from '../stores/board'
import { useCapacity } from '../stores/capacity'
import { useUi } from '../stores/ui'
import './capacity.css'

/** The global caps offered; one set by the CLI to another number is shown as well. */
const CAPS = [1, 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 30, 50]

/** Spec ids in the allocator's words ("waits for s_1 to ship") as the titles on the board. */
function named(text: string): string {
  const specs = useBoard.getState().specs
  return withoutCliHints(text).replace(/\bs_\d+\b/g, (id) => {
    const title = specs.find((s) => s.id === id)?.title
    return title ? `“${title}”` : id
  })
}

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
      showToast({
        tone: 'info',
        message: named(
          describeRound(
            await client().call('allocator/round', {}),
            'drop a spec on Software · Unassigned to queue it',
          ),
        ),
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
          {CAPS.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
          {settings.maxConcurrentRuns !== null && !CAPS.includes(settings.maxConcurrentRuns) && (
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
