// Human-readable runs for the CLI; `--json` bypasses all of this.
import { branchWords } from '../../shared/branch'
import { formatAge, formatCount, formatDuration, formatUsd } from '../../shared/format'
import { isRunActive, type Run, type Usage } from '../../shared/runs'
import { table } from './print'

export function printUsage(usage: Usage): string {
  // A command agent reports none: nothing measured, which is not the same as zero spent.
  if (Object.values(usage).every((value) => !value)) return 'no usage reported'
  return [
    `${formatCount(usage.inputTokens)} in`,
    `${formatCount(usage.outputTokens)} out`,
    `${formatCount(usage.cacheReadTokens)} cache read`,
    `${formatCount(usage.cacheWriteTokens)} cache write`,
    formatUsd(usage.costMicros),
    `${usage.turns} turns`,
  ].join(' · ')
}

function stateOf(run: Run): string {
  if (run.failure) return `${run.state}: ${run.failure.class}`
  if (run.stage && isRunActive(run.state)) {
    return `${run.state} (${run.stage})`
  }
  return run.state
}

function duration(run: Run): string {
  if (!run.startedAt) return '-'
  return formatDuration((run.endedAt ?? Date.now()) - run.startedAt)
}

export function printRuns(runs: Run[]): string {
  if (runs.length === 0) return 'No runs yet. Start one: factory dispatch SPEC --agent NAME'
  return table([
    ['RUN', 'SPEC', 'AGENT', 'STATE', 'TIME', 'COST', 'STARTED'],
    ...runs.map((r) => [
      r.id,
      r.specId,
      r.agent,
      stateOf(r),
      duration(r),
      formatUsd(r.usage.costMicros),
      formatAge(r.createdAt),
    ]),
  ])
}

export function printRun(run: Run): string {
  // A queue run is run by the remote drainer: where it waits is what there is to show.
  const remote = run.workspaceKind === 'queue'
  const lines = [
    `${run.id}  ${run.specId} on ${run.agent} (${remote ? 'remote queue' : run.runner})  ${stateOf(run)}`,
    `exit ${run.signal ? `signal ${run.signal}` : (run.exitCode ?? '-')} · ${duration(run)} · ${printUsage(run.usage)}`,
    remote
      ? `queue ${run.cwd}`
      : `cwd ${run.cwd}${run.branch ? ` · branch ${run.branch} (base ${run.baseRef})` : ''}`,
    ...(remote ? [] : [`argv ${JSON.stringify(run.argv)}`]),
  ]
  if (run.failure) {
    const reset = run.failure.resetAt
      ? ` · resets ${new Date(run.failure.resetAt).toLocaleString()}`
      : ''
    lines.push(`failure ${run.failure.class}: ${run.failure.message}${reset}`)
  }
  if (run.artifact) {
    const a = run.artifact
    lines.push(
      `artifact ${a.name} ${a.version}${a.url ? ` · ${a.url}` : ''} · ${a.screenshots.length} screenshots`,
    )
  }
  if (run.branchState) lines.push(`branch ${branchWords(run.branchState)}`)
  if (run.logTail && run.state !== 'shipped' && run.state !== 'done') {
    lines.push('', 'log tail:', run.logTail)
  }
  return lines.join('\n')
}
