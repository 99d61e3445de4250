// Human-readable output for the CLI; `--json` bypasses all of this.
import {
  STAGES,
  STAGE_LABELS,
  type Agent,
  type Board,
  type LedgerEvent,
  type Spec,
  type SpecCard,
} from '../../shared/domain'
import { counted, formatAge } from '../../shared/format'
import { formatQuotaAmount } from '../../shared/quotas'

export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? []
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

export function printSpecs(specs: SpecCard[]): string {
  if (specs.length === 0) return 'No specs yet. Add one: factory spec add --title "…"'
  return table([
    ['ID', 'TITLE', 'STAGE', 'STATUS', 'AGENT', 'AGE'],
    ...specs.map((s) => [
      s.id,
      s.title.length > 60 ? `${s.title.slice(0, 59)}…` : s.title,
      s.stage,
      s.status,
      s.agent ?? '-',
      formatAge(s.createdAt),
    ]),
  ])
}

export function printSpec(spec: Spec): string {
  const lines = [
    `${spec.id}  ${spec.title}`,
    `stage ${spec.stage} · status ${spec.status} · agent ${spec.agent ?? 'unassigned'} · source ${spec.source} · priority ${spec.priority}`,
  ]
  if (spec.tags.length) lines.push(`tags ${spec.tags.join(', ')}`)
  if (spec.blueprint) lines.push(`blueprint ${spec.blueprint}`)
  if (spec.dependsOn.length) {
    const waiting = spec.waitingOn.length ? ` (waiting for ${spec.waitingOn.join(', ')})` : ''
    lines.push(`depends on ${spec.dependsOn.join(', ')}${waiting}`)
  }
  lines.push(`created ${new Date(spec.createdAt).toISOString()} (${formatAge(spec.createdAt)})`)
  lines.push('', spec.body.trim() ? spec.body.trimEnd() : '(no description)')
  return lines.join('\n')
}

export function printAgents(agents: Agent[]): string {
  if (agents.length === 0) return 'No agents yet. Add a lane: factory agent add bob --runner claude'
  return table([
    ['NAME', 'RUNNER', 'AT ONCE', 'QUOTA WINDOWS', 'ADDED'],
    ...agents.map((a) => [
      a.name,
      // A remote lane's runs happen wherever its queue is drained, not by its runner here.
      (a.queue ? `queue ${a.queue}` : `${a.runner}${a.workspace ? ` in ${a.workspace}` : ''}`) +
        (a.mergeWhenShipped ? ', merges when shipped' : ''),
      `${a.maxConcurrent}${a.enabled ? '' : ' (disabled)'}`,
      a.quotas.map((q) => `${q.window} ${formatQuotaAmount(q.unit, q.limit)}`).join(', ') || '-',
      formatAge(a.createdAt),
    ]),
  ])
}

export function printBoard(board: Board): string {
  const lanes = [null, ...board.agents.map((a) => a.name)]
  const rows = [['LANE', ...STAGES.map((s) => STAGE_LABELS[s].toUpperCase())]]
  for (const lane of lanes) {
    const cells = STAGES.map((stage) => {
      const cards = board.specs.filter((s) => s.stage === stage && s.agent === lane)
      return cards.length === 0
        ? '·'
        : `${cards.length}: ${cards
            .slice(0, 3)
            .map((c) => c.id)
            .join(' ')}${cards.length > 3 ? ' …' : ''}`
    })
    rows.push([lane ?? 'unassigned', ...cells])
  }
  return `${table(rows)}\n\n${counted(board.specs.length, 'spec')} · ${counted(board.agents.length, 'agent')}`
}

export function printLog(events: LedgerEvent[]): string {
  if (events.length === 0) return 'The ledger has no events yet.'
  return events
    .map(
      (e) =>
        `${String(e.seq).padStart(6)}  ${new Date(e.ts).toISOString()}  ${e.actor.padEnd(8)} ${e.type.padEnd(16)} ${e.subject}  ${JSON.stringify(e.payload)}`,
    )
    .join('\n')
}
