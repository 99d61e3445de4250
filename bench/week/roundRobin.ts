// The baseline: a naive round-robin dispatcher. It takes the same queue (queued specs whose
// dependencies shipped, best first) and hands each to the next lane in turn that has a free run
// slot, blind to quota windows and holds. Its runs are written to the same ledger as a dispatch
// writes them (run row, card to the lane, `spec.dispatched`), without dispatch's refusals, so every
// figure is read from its ledger exactly as from the allocator's.
import { listAgents, requireAgent } from '../../electron/core/agents'
import type { Ledger } from '../../electron/core/db/ledger'
import { runs } from '../../electron/core/db/schema'
import { requireSpec } from '../../electron/core/specs'
import { queuedSpecs } from '../../electron/core/software/capacity/allocate'
import { assignSpec, freshRunDir, type RunHost } from '../../electron/core/software/runs/dispatch'
import { activeRunRows, nextRunId } from '../../electron/core/software/runs/runs'

export class RoundRobin {
  private turn = 0

  constructor(
    private readonly ledger: Ledger,
    private readonly host: RunHost,
    private readonly started: (runId: string) => void,
  ) {}

  round(): void {
    const lanes = listAgents(this.ledger)
    const running = new Map<string, number>()
    for (const run of activeRunRows(this.ledger)) {
      running.set(run.agent, (running.get(run.agent) ?? 0) + 1)
    }
    const ready = [...queuedSpecs(this.ledger).specs].filter((spec) => spec.waitingOn.length === 0)
    for (const spec of ready) {
      const offset = [...lanes.keys()].find((i) => {
        const lane = lanes[(this.turn + i) % lanes.length]!
        return (running.get(lane.name) ?? 0) < lane.maxConcurrent
      })
      if (offset === undefined) return // every lane is at its run cap
      const lane = lanes[(this.turn + offset) % lanes.length]!
      this.turn = (this.turn + offset + 1) % lanes.length
      running.set(lane.name, (running.get(lane.name) ?? 0) + 1)
      this.started(this.dispatch(spec.id, lane.name))
    }
  }

  private dispatch(specId: string, agentName: string): string {
    return this.ledger.change('round-robin', (change) => {
      const spec = requireSpec(this.ledger, specId)
      const agent = requireAgent(this.ledger, agentName)
      const id = nextRunId(this.ledger)
      const runDir = freshRunDir(this.host.filesDir, id)
      this.ledger.db
        .insert(runs)
        .values({
          id,
          specId,
          agent: agent.name,
          runner: agent.runner,
          state: 'starting',
          argv: JSON.stringify(agent.command ?? []),
          cwd: runDir,
          workspaceKind: 'folder',
          runDir,
          timeoutMs: agent.timeoutMs,
          createdAt: change.now,
          updatedAt: change.now,
        })
        .run()
      // A reason, as the allocator gives: a run that hits a limit goes back to Unassigned.
      const request = { specId, agent: agent.name, reason: `round-robin: ${agent.name}'s turn` }
      assignSpec(
        this.ledger,
        change,
        { spec, agent, runId: id, request },
        { status: 'running', branch: null },
      )
      return id
    })
  }
}
