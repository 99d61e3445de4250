// The one way a card moves — drop, Shift+arrow or the drawer's selects: an optimistic move, then
// a toast that says where it went (with Undo) or why it could not. Into the Software column a move
// means work: onto an agent's lane it dispatches a run there (or queues it there while what it
// depends on has not shipped); onto Unassigned it queues the spec for the allocator. A refused
// drop puts the card back and says why. A card whose run is at work stays where it is, and a
// queued card moved out of Software leaves the queue.
import { laneAvailability } from '../../../shared/availability'
import { toCard, type Placement, type SpecCard, type SpecId } from '../../../shared/domain'
import { toFactoryError } from '../../../shared/errors'
import { isRunActive } from '../../../shared/runs'
import { samePlace } from '../board/cells'
import { placeWords } from '../board/dropAnnouncement'
import { refusalAt } from '../board/dropRefusal'
import { placementWords, refusalWords } from '../board/wording'
import { client } from '../client'
import { useBoard } from './board'
import { useCapacity } from './capacity'
import { useUi, type Toast } from './ui'

/** A card's title as a toast quotes it: a long one cut short, so the reason after it is read. */
/** An engine refusal as a toast says it: specs by their titles, no run ids, no CLI fix. */
function inWords(error: unknown): string {
  const { specs } = useBoard.getState()
  return refusalWords(toFactoryError(error).message, (id) => specs.find((s) => s.id === id)?.title)
}

function quoted(card: { title: string }): string {
  const title = card.title.length > 60 ? `${card.title.slice(0, 57).trimEnd()}…` : card.title
  return `“${title}”`
}

/**
 * A key press may be one step on the way (Shift+→ twice from Idea crosses Software): a move into
 * Software that is not a drop rests this long before it starts work, and moving the card on
 * meanwhile passes through without starting anything.
 */
const REST_MS = 700
/**
 * A drop or a key move onto a lane spends that lane's quota: it rests this long with "Starting … ·
 * Undo", so a move to the wrong lane can be taken back before anything starts.
 */
export const DROP_REST_MS = 3_000

interface Rest {
  /** Resolves when the card has rested; rejects when it moved on first. */
  over: Promise<void>
  passed: boolean
  pass(): void
}

function rest(ms: number): Rest {
  let pass = () => {}
  let over = false
  const state: Rest = {
    passed: false,
    over: new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        over = true
        resolve()
      }, ms)
      pass = () => {
        // Too late: it has rested, and its work has begun.
        if (over) return
        clearTimeout(timer)
        state.passed = true
        reject(new Error('moved on'))
      }
    }),
    pass: () => pass(),
  }
  // Nobody may be waiting on `over` yet when it is passed.
  state.over.catch(() => {})
  return state
}

/** Cards resting in Software, and the work that follows the rest. */
const resting = new Map<SpecId, { rest: Rest; work: Promise<void> }>()

export async function moveCard(
  id: SpecId,
  to: Placement,
  /**
   * undo: false offers no Undo; restore: an Undo putting it back, never starting work; drop: the
   * user let go of it there (a drop is a decision, a key press may be a step on the way).
   */
  options: { undo?: boolean; restore?: boolean; drop?: boolean } = {},
) {
  stopFollowing(id)
  // Still resting in a Software cell on its way: it started nothing there, and is back where it was.
  const earlier = resting.get(id)
  if (earlier) {
    earlier.rest.pass()
    await earlier.work
  }
  const card = useBoard.getState().specs.find((s) => s.id === id)
  if (!card || samePlace(card, to)) return
  if (card.run && isRunActive(card.run.state)) return refuseBusy(card)
  if (to.stage === 'software' && !options.restore) {
    // Onto a lane that can start it, by drop or by key, it rests with "Starting … · Undo" (a key
    // press stepping on through Software passes the rest, and nothing starts). A lane that says it
    // cannot start it now is asked at once after a drop: no "Starting…" that is not true.
    const takeBack = to.agent !== null && refusalHere(to.agent) === null
    const pause = rest(takeBack ? DROP_REST_MS : options.drop ? 0 : REST_MS)
    const work = to.agent
      ? dispatchCard(card, to.agent, pause, takeBack)
      : queueCard(card, null, pause)
    resting.set(id, { rest: pause, work })
    await work
    if (resting.get(id)?.rest === pause) resting.delete(id)
    return
  }
  if (card.status === 'queued' && card.stage === 'software') return leaveQueue(card, to)
  const from: Placement = { stage: card.stage, agent: card.agent }
  const { showToast } = useUi.getState()
  try {
    await useBoard.getState().moveSpec(id, to)
  } catch (error) {
    showToast({
      tone: 'error',
      message: `Could not move ${quoted(card)}: ${inWords(error)}`,
    })
    return
  }
  showToast({
    tone: 'info',
    message: `Moved ${quoted(card)} to ${placeWords(to)}`,
    action:
      options.undo === false
        ? undefined
        : { label: 'Undo', run: () => void moveCard(id, from, { undo: false, restore: true }) },
  })
}

/** A run at work owns its card: it moves on by itself when the run ends. */
function refuseBusy(card: SpecCard) {
  const { showToast, openRun } = useUi.getState()
  const run = card.run!
  showToast({
    tone: 'error',
    message: `${quoted(card)} stays put while its run is at work${card.agent ? ` on ${card.agent}` : ''}; it moves on by itself when the run ends (cancel the run to move it now)`,
    action: { label: 'Open run', run: () => openRun(run.id) },
  })
}

/** A toast's next news: in place of `id` while it shows, else as a new one. */
function say(id: number | undefined, toast: Omit<Toast, 'id'>): number {
  const { showToast, updateToast } = useUi.getState()
  return id !== undefined && updateToast(id, toast) ? id : showToast(toast)
}

/** Onto an agent's lane: a run starts there now, or the card says why it cannot. */
async function dispatchCard(card: SpecCard, agent: string, pause: Rest, drop = false) {
  const { openRun } = useUi.getState()
  const to = { stage: 'software' as const, agent }
  // A drop rests first, saying so, with the one Undo that costs nothing: nothing has started.
  let undone = false
  const starting = drop
    ? say(undefined, {
        tone: 'info',
        message: `Starting ${quoted(card)} on ${agent}…`,
        action: {
          label: 'Undo',
          run: () => {
            undone = true
            pause.pass()
          },
        },
      })
    : undefined
  const showToast = (toast: Omit<Toast, 'id'>) => say(starting, toast)
  // Rested: the run is being started, so there is nothing left to take back.
  if (starting !== undefined) {
    void pause.over.then(
      () =>
        useUi.getState().updateToast(starting, {
          tone: 'info',
          message: `Starting ${quoted(card)} on ${agent}…`,
        }),
      () => {},
    )
  }
  try {
    const run = await useBoard
      .getState()
      // Resting after a drop it has not started: no "Running" badge until it has.
      .placeSpec(card.id, { ...to, status: drop ? card.status : 'running' }, () =>
        pause.over.then(() => client().call('run/dispatch', { spec: card.id, agent })),
      )
    showToast({
      tone: 'info',
      // A remote lane's run starts when its drainer claims it; until then it waits in the queue.
      message:
        run.state === 'queued'
          ? `Sent ${quoted(card)} to ${agent}’s queue`
          : `Started ${quoted(card)} on ${agent}`,
      action: { label: 'Open run', run: () => openRun(run.id) },
    })
  } catch (error) {
    if (pause.passed) {
      // Undone: say so; moved on by another move: that move says where it went.
      if (undone) showToast({ tone: 'info', message: `Took ${quoted(card)} back: nothing started` })
      else if (starting !== undefined) useUi.getState().dismissToast(starting)
      return
    }
    const problem = toFactoryError(error)
    // Not ready yet: it waits in that lane and starts by itself once its dependencies ship.
    if (problem.code === 'SpecNotReady') return queueCard(card, agent)
    // What to do about it: wait in that lane's queue for it to free up, or change the lane
    // (enable or resume it) where the lane editor says why it is held.
    const unavailable = problem.code === 'AgentUnavailable'
    showToast({
      tone: 'error',
      message: `${quoted(card)} went back: ${unavailable ? (refusalHere(agent) ?? inWords(problem)) : inWords(problem)}`,
      action: !unavailable
        ? undefined
        : freesByItself(agent)
          ? { label: `Queue on ${agent}`, run: () => void queueCard(card, agent) }
          : {
              label: `Edit ${agent}`,
              run: () => useUi.getState().openDialog({ kind: 'agent', name: agent }),
            },
    })
  }
}

/** Why the lane cannot start a run now, as its header says it ("Paused until 18:53 · usage limit"). */
function refusalHere(agent: string): string | null {
  const place = { stage: 'software' as const, agent }
  return refusalAt(place, useBoard.getState().agents, useCapacity.getState().byAgent)
}

/** Whether a lane that refused a run takes one later without anyone resuming or enabling it. */
function freesByItself(agent: string): boolean {
  const usage = useCapacity.getState().byAgent[agent]
  if (!usage) return true
  const availability = laneAvailability(usage)
  return availability.ok || availability.kind === 'cap' || availability.until !== null
}

/** Into the queue: Unassigned for the allocator's choice, or one lane while it waits. */
async function queueCard(card: SpecCard, agent: string | null = null, pause: Rest = rest(0)) {
  const { showToast } = useUi.getState()
  const from: Placement = { stage: card.stage, agent: card.agent }
  try {
    const spec = await useBoard.getState().placeSpec(
      card.id,
      { stage: 'software', agent, status: 'queued' },
      () => pause.over.then(() => client().call('spec/queue', { id: card.id, agent })),
      (queued) => ({ status: queued.status, agent: queued.agent, stage: queued.stage }),
    )
    const specs = useBoard.getState().specs
    const names = spec.waitingOn.map((id) => {
      const spec = specs.find((s) => s.id === id)
      return spec ? quoted(spec) : id
    })
    const waits = names.length
      ? `; it starts by itself once ${names.join(', ')} ship${names.length === 1 ? 's' : ''}`
      : ''
    const toast = showToast({
      tone: 'info',
      message: `Queued ${quoted(card)} for ${agent ?? 'the allocator'}${waits}`,
      action: { label: 'Undo', run: () => void unqueue(card, from) },
    })
    untilStarted(card, spec.run?.id ?? null, toast)
  } catch (error) {
    if (pause.passed) return
    showToast({
      tone: 'error',
      message: `Could not queue ${quoted(card)}: ${inWords(error)}`,
    })
  }
}

/**
 * A queued card's toast follows it: once a run starts (the allocator chose a lane, or the lane
 * freed up), Undo can no longer work, so it gives way to where it started and why.
 */
function untilStarted(card: SpecCard, queuedRun: string | null, toast: number) {
  const stop = () => {
    unsubscribe()
    if (following.get(card.id)?.toast === toast) following.delete(card.id)
  }
  following.get(card.id)?.stop()
  following.set(card.id, { toast, stop })
  const unsubscribe = useBoard.subscribe((board) => {
    if (!useUi.getState().toasts.some((t) => t.id === toast)) return stop()
    const now = board.specs.find((s) => s.id === card.id)
    if (!now?.run || now.run.id === queuedRun || !isRunActive(now.run.state)) return
    stop()
    const run = now.run
    const why = placementWords(run.placement)
    useUi.getState().updateToast(toast, {
      tone: 'info',
      message: `Started ${quoted(card)} on ${now.agent ?? 'a lane'}${why ? `. ${why}` : ''}`,
      action: { label: 'Open run', run: () => useUi.getState().openRun(run.id) },
    })
  })
}

/** Queued cards whose toast follows them, until they start or are moved on by hand. */
const following = new Map<SpecId, { toast: number; stop(): void }>()

/** A card moved on by hand: its queued toast's news and Undo are out of date. */
function stopFollowing(id: SpecId): void {
  const follower = following.get(id)
  if (!follower) return
  follower.stop()
  useUi.getState().dismissToast(follower.toast)
}

/** Undo of a queueing: back where it was, no longer waiting for the allocator. */
async function unqueue(card: SpecCard, from: Placement) {
  try {
    await useBoard
      .getState()
      .placeSpec(card.id, { ...from, status: card.status }, () =>
        client().call('spec/unqueue', { id: card.id, stage: from.stage, agent: from.agent }),
      )
  } catch (error) {
    useUi.getState().showToast({
      tone: 'error',
      message: `Could not undo: ${inWords(error)}`,
    })
  }
}

/** Out of Software: it leaves the queue too, so nothing starts it from where it now sits. */
async function leaveQueue(card: SpecCard, to: Placement) {
  const { showToast } = useUi.getState()
  try {
    await useBoard.getState().placeSpec(
      card.id,
      to,
      () => client().call('spec/unqueue', { id: card.id, stage: to.stage, agent: to.agent }),
      (spec) => toCard(spec),
    )
  } catch (error) {
    showToast({
      tone: 'error',
      message: `Could not move ${quoted(card)}: ${inWords(error)}`,
    })
    return
  }
  showToast({
    tone: 'info',
    message: `Moved ${quoted(card)} to ${placeWords(to)}, out of the queue`,
    action: {
      label: 'Undo',
      run: () => {
        const now = useBoard.getState().specs.find((s) => s.id === card.id)
        if (now) void queueCard(now, card.agent)
      },
    },
  })
}
