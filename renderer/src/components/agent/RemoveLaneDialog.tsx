// "Remove the bob lane?": what happens to its specs and runs, in numbers, before anything goes.
// While a run is at work on the lane it is not offered: that run must finish or be cancelled.
import { useEffect, useRef, useState } from 'react'
import { toFactoryError } from '../../../../shared/errors'
import { counted } from '../../../../shared/format'
import { client } from '../../client'
import { useBoard } from '../../stores/board'
import { useCapacity } from '../../stores/capacity'
import { useUi } from '../../stores/ui'
import { ConfirmDialog } from '../ConfirmDialog'
import { InlineError } from '../InlineError'
import { laneRemoval } from './laneRemoval'

/** Runs counted for "N past runs"; a lane with more says "at least". */
const RUNS_READ = 1000

export function RemoveLaneDialog({ lane, onKeep }: { lane: string; onKeep: () => void }) {
  const specs = useBoard((s) => s.specs)
  const [pastRuns, setPastRuns] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [removing, setRemoving] = useState(false)
  const keep = useRef<HTMLButtonElement | null>(null)

  useEffect(() => {
    let current = true
    client()
      .call('run/list', { limit: RUNS_READ })
      .then((runs) => current && setPastRuns(runs.filter((run) => run.agent === lane).length))
      .catch(() => undefined) // said without a number
    return () => {
      current = false
    }
  }, [lane])

  const { atWork, consequences } = laneRemoval(lane, specs, pastRuns)
  const remove = async () => {
    setRemoving(true)
    try {
      const removed = await client().call('agent/remove', { name: lane })
      const ui = useUi.getState()
      ui.closeDialog()
      ui.showToast({
        tone: 'info',
        message: `Removed lane ${removed.name} · ${counted(removed.unassigned.length, 'spec')} back to Unassigned`,
      })
      void useBoard.getState().load()
      void useCapacity.getState().load()
    } catch (e) {
      setError(toFactoryError(e).message)
      setRemoving(false)
    }
  }

  return (
    <ConfirmDialog
      title={`Remove the ${lane} lane?`}
      onDismiss={onKeep}
      focus={keep}
      testId="remove-lane"
      actions={
        <>
          <button ref={keep} type="button" className="button button-secondary" onClick={onKeep}>
            Keep the lane
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={atWork.length > 0 || removing}
            onClick={() => void remove()}
          >
            {removing ? 'Removing…' : `Remove ${lane}`}
          </button>
        </>
      }
    >
      {atWork.length > 0 ? (
        <p className="remove-lane-refusal" data-testid="remove-lane-refusal">
          {lane} has {counted(atWork.length, 'run')} at work (
          {atWork.map((spec) => `“${spec.title}”`).join(', ')}): let{' '}
          {atWork.length === 1 ? 'it' : 'them'} finish or cancel{' '}
          {atWork.length === 1 ? 'it' : 'them'} first, then the lane can go.
        </p>
      ) : (
        <ul className="remove-lane-list">
          {consequences.map((sentence) => (
            <li key={sentence}>
              {pastRuns !== null && pastRuns >= RUNS_READ
                ? sentence.replace(/^[\d,]+ past runs/, `At least ${counted(pastRuns, 'past run')}`)
                : sentence}
            </li>
          ))}
        </ul>
      )}
      <InlineError message={error} />
    </ConfirmDialog>
  )
}
