// The open spec drawer and run view live in the address bar too (`?spec=s_3&run=r_7&tab=diff`), so
// a reload or a pasted link reopens them and Back closes what was opened. Only these three params
// are ours: any other (a filter's `?q=`) is kept as it was, byte for byte, and the hash is kept.
import { SPEC_ID_PATTERN, type SpecId } from '../../../shared/domain'
import { RUN_ID_PATTERN, type RunId } from '../../../shared/runs'
import { toFactoryError } from '../../../shared/errors'
import { client } from '../client'
import { RUN_TABS, useUi, type RunTab } from './ui'

export interface OpenLayers {
  spec: SpecId | null
  run: RunId | null
  /** The run view's tab; null for the first (transcript) or when no run is open. */
  tab: RunTab | null
}

const KEYS = { spec: 'spec', run: 'run', tab: 'tab' } as const
const OURS = new Set<string>(Object.values(KEYS))
/** An id longer than this is no id the ledger could have made. */
const MAX_ID_LENGTH = 24

function pieces(search: string): string[] {
  return search.replace(/^\?/, '').split('&').filter(Boolean)
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '))
  } catch {
    return text // "%E0%A4%A": not ours, whatever it is; kept as written
  }
}

function keyOf(piece: string): string {
  return decode(piece.split('=', 1)[0] ?? '')
}

/** The first value of `key` in `search`, decoded; undefined when absent. */
function firstValue(search: string, key: string): string | undefined {
  const piece = pieces(search).find((p) => keyOf(p) === key)
  return piece === undefined
    ? undefined
    : decode(piece.slice(piece.indexOf('=') + 1 || piece.length))
}

function idFrom<T extends string>(value: string | undefined, pattern: RegExp): T | null {
  return value !== undefined && value.length <= MAX_ID_LENGTH && pattern.test(value)
    ? (value as T)
    : null
}

/** What `search` (`location.search`) asks to have open; anything malformed is simply not open. */
export function readLayers(search: string): OpenLayers {
  const spec = idFrom<SpecId>(firstValue(search, KEYS.spec), SPEC_ID_PATTERN)
  const run = idFrom<RunId>(firstValue(search, KEYS.run), RUN_ID_PATTERN)
  const tabValue = firstValue(search, KEYS.tab)
  const tab = RUN_TABS.find((t) => t.id === tabValue && t.id !== RUN_TABS[0].id)?.id ?? null
  return { spec, run, tab: run ? tab : null }
}

/** `search` with our params saying `layers`, every other param kept in its place and form. */
export function writeLayers(search: string, layers: OpenLayers): string {
  const kept = pieces(search).filter((piece) => !OURS.has(keyOf(piece)))
  const ours = [
    layers.spec && `${KEYS.spec}=${layers.spec}`,
    layers.run && `${KEYS.run}=${layers.run}`,
    layers.run && layers.tab && layers.tab !== RUN_TABS[0].id && `${KEYS.tab}=${layers.tab}`,
  ].filter((piece): piece is string => Boolean(piece))
  const all = [...kept, ...ours]
  return all.length === 0 ? '' : `?${all.join('&')}`
}

function layersOf(state: { drawerSpecId: SpecId | null; runViewId: RunId | null; runTab: RunTab }) {
  return {
    spec: state.drawerSpecId,
    run: state.runViewId,
    tab: state.runViewId && state.runTab !== RUN_TABS[0].id ? state.runTab : null,
  }
}

function apply(layers: OpenLayers): void {
  const ui = useUi.getState()
  if (layers.spec !== ui.drawerSpecId) {
    if (layers.spec) ui.openDrawer(layers.spec)
    else ui.closeDrawer()
  }
  if (layers.run !== ui.runViewId) {
    if (layers.run) ui.openRun(layers.run)
    else ui.closeRun()
  }
  if (layers.run) {
    const tab = layers.tab ?? RUN_TABS[0].id
    if (useUi.getState().runTab !== tab) useUi.getState().setRunTab(tab)
  }
}

/** Which of what a link opened is gone from the ledger (not merely unreachable right now). */
async function goneOf(layers: OpenLayers): Promise<{ spec: boolean; run: boolean }> {
  const missing = async (read: () => Promise<unknown>, code: string): Promise<boolean> =>
    read().then(
      () => false,
      (error: unknown) => toFactoryError(error).code === code,
    )
  const { spec, run } = layers
  const [specGone, runGone] = await Promise.all([
    spec ? missing(() => client().call('spec/get', { id: spec }), 'SpecNotFound') : false,
    run ? missing(() => client().call('run/get', { id: run }), 'RunNotFound') : false,
  ])
  return { spec: specGone, run: runGone }
}

/**
 * Opens what the address names, then keeps the address in step with the ui store: opening or
 * closing the drawer or run view is a new history entry (so Back undoes it), a tab change is not.
 */
export function startLocationSync(): () => void {
  let applying = false
  const fromAddress = (): OpenLayers => {
    const layers = readLayers(window.location.search)
    applying = true
    try {
      apply(layers)
    } finally {
      applying = false
    }
    return layers
  }
  const initial = fromAddress()
  // A link to a spec or run that is gone: say so and close it (and take it out of the address,
  // so Back does not bring the dead link again), rather than show an empty panel.
  if (initial.spec || initial.run) {
    void goneOf(initial).then((gone) => {
      if (!gone.spec && !gone.run) return
      const now = readLayers(window.location.search)
      if (now.spec !== initial.spec || now.run !== initial.run) return // moved on meanwhile
      const kept = { ...now, spec: gone.spec ? null : now.spec, run: gone.run ? null : now.run }
      const { pathname, search, hash } = window.location
      window.history.replaceState(
        window.history.state,
        '',
        pathname + writeLayers(search, kept) + hash,
      )
      fromAddress()
      const names = [gone.spec && `spec ${initial.spec}`, gone.run && `run ${initial.run}`]
      useUi.getState().showToast({
        tone: 'info',
        message: `There is no ${names.filter(Boolean).join(' and no ')} on this board any more; the link is out of date.`,
      })
    })
  }
  const onPopState = (): void => void fromAddress()
  window.addEventListener('popstate', onPopState)
  const unsubscribe = useUi.subscribe((state, previous) => {
    if (applying) return
    const next = layersOf(state)
    const before = layersOf(previous)
    if (next.spec === before.spec && next.run === before.run && next.tab === before.tab) return
    const { pathname, search, hash } = window.location
    const written = writeLayers(search, next)
    if (written === search) return
    const address = `${pathname}${written}${hash}`
    try {
      if (next.spec !== before.spec || next.run !== before.run) {
        window.history.pushState(window.history.state, '', address)
      } else window.history.replaceState(window.history.state, '', address)
    } catch {
      // Some hosts refuse history changes (too many in a burst); the board works without them.
    }
  })
  return () => {
    window.removeEventListener('popstate', onPopState)
    unsubscribe()
  }
}
