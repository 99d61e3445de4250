// One lane of the board: its header (who works it) and a cell per stage. Below the fold the
// header sticks to the board's bottom edge (useLaneHeaderStack), its controls still at hand.
import { memo } from 'react'
import { STAGES, type RunnerPreset } from '../../../shared/domain'
import { cardsIn, laneLabel, laneSlug, type BoardCells, type Lane } from '../board/cells'
import { runnerWords } from '../board/wording'
import { useUi } from '../stores/ui'
import { AllocatorControls } from './AllocatorControls'
import { Cell } from './Cell'
import { LaneCapacity } from './LaneCapacity'
import { LANE_CLASS } from './useLaneHeaderStack'

interface SwimlaneProps {
  lane: Lane
  runner: RunnerPreset | null
  board: BoardCells
}

export const Swimlane = memo(function Swimlane({ lane, runner, board }: SwimlaneProps) {
  const count = board.laneCounts.get(lane) ?? 0
  // A remote lane's queue: specs written there that its drainer has not claimed yet.
  const waiting = lane
    ? cardsIn(board, { stage: 'software', agent: lane }).filter((c) => c.run?.state === 'queued')
        .length
    : 0
  return (
    <section className={LANE_CLASS} aria-label={`${laneLabel(lane)} lane`}>
      <div className="lane-header" data-testid={`lane-${laneSlug(lane)}`}>
        <div className="lane-header-row">
          <span
            className={`lane-avatar${lane === null ? ' lane-avatar-none' : ''}`}
            aria-hidden="true"
          >
            {lane ? lane.slice(0, 1).toUpperCase() : ''}
          </span>
          {lane ? (
            <button
              type="button"
              className="lane-name lane-name-button"
              title={`${lane}: settings, quota windows, pause`}
              onClick={() => useUi.getState().openDialog({ kind: 'agent', name: lane })}
            >
              {lane}
            </button>
          ) : (
            <span className="lane-name">{laneLabel(lane)}</span>
          )}
          {runner && (
            <span className="badge" data-testid="lane-runner" title={`What runs ${lane}’s work`}>
              {runnerWords(runner)}
            </span>
          )}
          <span className="lane-count">{count.toLocaleString()}</span>
          {lane ? <LaneCapacity agent={lane} /> : <AllocatorControls />}
          {waiting > 0 && (
            <span
              className="lane-waiting"
              data-testid="lane-waiting"
              title="Written to its queue; its drainer takes them in turn"
            >
              {waiting} waiting in its queue
            </span>
          )}
        </div>
      </div>
      <div className="lane-cells">
        {STAGES.map((stage) => (
          <Cell
            key={stage}
            stage={stage}
            lane={lane}
            cards={cardsIn(board, { stage, agent: lane })}
          />
        ))}
      </div>
    </section>
  )
})
