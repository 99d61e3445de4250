// The run view's facts line, in words: whose run and since when, what runs it, how long (ticking
// while live), the tokens its lane's quota counted for it, its cost so far, and how it ended.
import { formatCount, formatUsd } from '../../../../shared/format'
import { isRunActive, type Run, type RunId } from '../../../../shared/runs'
import { exitWords, quotaTokens, runName, runnerWords } from '../../board/wording'
import { useRun } from '../../runs/useRun'
import { useClock, useLiveNow } from '../../stores/clock'
import { useUi } from '../../stores/ui'
import { formatDuration, formatFullTime } from '../../time'

/** Runners that print their cost only in a final line (until then the run's cost reads $0). */
const COST_AT_THE_END = new Set(['claude'])

/**
 * The tokens as the lane meters counted them for this run (the same `usage` rows, the same sum),
 * with cache reads said apart because no meter counts them.
 */
function TokenFigures({ run }: { run: Run }) {
  const { usage } = run
  const counted = quotaTokens(usage)
  if (counted === 0 && usage.cacheReadTokens === 0) return null
  const parts = `${usage.inputTokens.toLocaleString('en')} input + ${usage.outputTokens.toLocaleString('en')} output + ${usage.cacheWriteTokens.toLocaleString('en')} cache writes`
  return (
    <span
      data-testid="run-tokens"
      title={`What ${run.agent}’s token quotas counted for this run: ${parts} = ${counted.toLocaleString('en')}. Cache reads (${usage.cacheReadTokens.toLocaleString('en')}) are not counted, by this run or by the lane’s meters.`}
    >
      {formatCount(counted)} tokens counted
      {usage.cacheReadTokens > 0 && (
        <span className="run-facts-aside">
          {' '}
          (+{formatCount(usage.cacheReadTokens)} cache reads, not counted)
        </span>
      )}
    </span>
  )
}

function CostFigure({ run, live }: { run: Run; live: boolean }) {
  const cost = run.usage.costMicros
  if (cost > 0) {
    return <span data-testid="run-cost">{`${formatUsd(cost)}${live ? ' so far' : ''}`}</span>
  }
  if (live && COST_AT_THE_END.has(run.runner)) {
    return (
      <span data-testid="run-cost" className="run-facts-aside">
        {runnerWords(run.runner)} says its cost when it finishes
      </span>
    )
  }
  return null
}

/** "follow-up of bob’s run, started 14:05", a link to that run. */
function FollowUpOf({ id }: { id: RunId }) {
  const { run } = useRun(id)
  const now = useClock((s) => s.now)
  return (
    <span>
      follow-up of{' '}
      <button type="button" className="link-button" onClick={() => useUi.getState().openRun(id)}>
        {run ? runName(run, now) : 'an earlier run'}
      </button>
    </span>
  )
}

export function RunFacts({ run }: { run: Run }) {
  const live = isRunActive(run.state)
  const now = useLiveNow(live)
  const ended = exitWords(run.exitCode, run.signal)
  return (
    <p className="run-facts" data-testid="run-facts">
      <span className="run-name" data-testid="run-name" title={formatFullTime(run.createdAt)}>
        {runName(run, now)}
      </span>
      <span>
        with <span data-testid="run-runner">{runnerWords(run.runner)}</span>
      </span>
      {run.startedAt && (
        <span data-testid="run-duration">
          {live ? 'for ' : 'took '}
          {formatDuration(Math.max(0, (run.endedAt ?? now) - run.startedAt))}
        </span>
      )}
      <TokenFigures run={run} />
      <CostFigure run={run} live={live} />
      {ended && <span data-testid="run-exit">{ended}</span>}
      {run.branch && (
        <span>
          <code className="code">{run.branch}</code> → {run.baseRef}
        </span>
      )}
      {run.followUpOf && <FollowUpOf id={run.followUpOf} />}
    </p>
  )
}
