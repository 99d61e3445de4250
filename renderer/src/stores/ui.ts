// What the user has open or focused: the drawer, the focused card, dialogs, toasts.
import { create } from 'zustand'
import type { Placement, SpecId } from '../../../shared/domain'
import type { RunId } from '../../../shared/runs'

export const RUN_TABS = [
  { id: 'transcript', label: 'Transcript', key: '1' },
  { id: 'log', label: 'Raw log', key: '2' },
  { id: 'diff', label: 'Diff', key: '3' },
] as const
export type RunTab = (typeof RUN_TABS)[number]['id']

export type Dialog =
  | { kind: 'new-spec'; place: Placement }
  | { kind: 'help' }
  /** Add a lane (name null) or edit one. */
  | { kind: 'agent'; name: string | null }

export interface Toast {
  id: number
  tone: 'info' | 'error'
  message: string
  action?: { label: string; run: () => void }
}

interface UiStore {
  drawerSpecId: SpecId | null
  /** The run view, open over the board, and its tab. */
  runViewId: RunId | null
  /** The saturation view, open over the board. */
  saturationOpen: boolean
  runTab: RunTab
  focusedId: SpecId | null
  dialog: Dialog | null
  dragging: boolean
  /** Cells opened past their first few cards (by `cellKey`). */
  openCells: ReadonlySet<string>
  /** When the last drag ended; the click a drop fires is ignored for a moment after. */
  dragEndedAt: number
  toasts: Toast[]
  openDrawer(id: SpecId): void
  closeDrawer(): void
  openRun(id: RunId): void
  closeRun(): void
  openSaturation(): void
  closeSaturation(): void
  setRunTab(tab: RunTab): void
  focusCard(id: SpecId | null): void
  openDialog(dialog: Dialog): void
  /** The new-spec dialog, placed in Idea · Unassigned unless told otherwise. */
  openNewSpec(place?: Placement): void
  closeDialog(): void
  setDragging(dragging: boolean): void
  setCellOpen(key: string, open: boolean): void
  showToast(toast: Omit<Toast, 'id'>): number
  /**
   * A toast that changed its news ("Starting…" → "Started"), or whose action can no longer work:
   * replaced in place with a fresh lifetime. False when it has already gone.
   */
  updateToast(id: number, toast: Omit<Toast, 'id'>): boolean
  dismissToast(id: number): void
}

const TOAST_MS = 6_000
const TOAST_WITH_ACTION_MS = 10_000
/** More would push the board out of sight: the oldest gives way. */
const MAX_TOASTS = 3
let nextToastId = 1
const toastTimers = new Map<number, ReturnType<typeof setTimeout>>()

/**
 * Set while the drawer's editor holds typed edits: closing the drawer or showing another spec in
 * it asks first. The guard is handed what would have happened, to do once the person agrees.
 */
let drawerLeaveGuard: ((leave: () => void) => void) | null = null

/** Installs the guard; the function returned takes it away again. */
export function guardDrawerLeave(guard: (leave: () => void) => void): () => void {
  drawerLeaveGuard = guard
  return () => {
    if (drawerLeaveGuard === guard) drawerLeaveGuard = null
  }
}

export const useUi = create<UiStore>()((set, get) => ({
  drawerSpecId: null,
  runViewId: null,
  saturationOpen: false,
  runTab: 'transcript',
  focusedId: null,
  dialog: null,
  dragging: false,
  openCells: new Set(),
  dragEndedAt: 0,
  toasts: [],
  openDrawer: (id) => {
    const open = () => set({ drawerSpecId: id, focusedId: id })
    const current = get().drawerSpecId
    if (drawerLeaveGuard && current !== null && current !== id) drawerLeaveGuard(open)
    else open()
  },
  closeDrawer: () => {
    const close = () => set({ drawerSpecId: null })
    if (drawerLeaveGuard && get().drawerSpecId !== null) drawerLeaveGuard(close)
    else close()
  },
  openRun: (id) => set({ runViewId: id, runTab: 'transcript' }),
  closeRun: () => set({ runViewId: null }),
  openSaturation: () => set({ saturationOpen: true }),
  closeSaturation: () => set({ saturationOpen: false }),
  setRunTab: (runTab) => set({ runTab }),
  focusCard: (id) => set({ focusedId: id }),
  openDialog: (dialog) => set({ dialog }),
  openNewSpec: (place = { stage: 'idea', agent: null }) =>
    set({ dialog: { kind: 'new-spec', place } }),
  closeDialog: () => set({ dialog: null }),
  setDragging: (dragging) => set(dragging ? { dragging } : { dragging, dragEndedAt: Date.now() }),
  setCellOpen: (key, open) =>
    set((state) => {
      if (state.openCells.has(key) === open) return state
      const openCells = new Set(state.openCells)
      if (open) openCells.add(key)
      else openCells.delete(key)
      return { openCells }
    }),
  showToast: (toast) => {
    const id = nextToastId++
    set((state) => ({ toasts: [...state.toasts, { ...toast, id }].slice(-MAX_TOASTS) }))
    expireToast(id, toast, get)
    return id
  },
  updateToast: (id, toast) => {
    if (!get().toasts.some((t) => t.id === id)) return false
    set((state) => ({ toasts: state.toasts.map((t) => (t.id === id ? { ...toast, id } : t)) }))
    expireToast(id, toast, get)
    return true
  },
  dismissToast: (id) => {
    clearTimeout(toastTimers.get(id))
    toastTimers.delete(id)
    set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) }))
  },
}))

function expireToast(id: number, toast: Omit<Toast, 'id'>, get: () => UiStore): void {
  clearTimeout(toastTimers.get(id))
  const ms = toast.action ? TOAST_WITH_ACTION_MS : TOAST_MS
  toastTimers.set(
    id,
    setTimeout(() => get().dismissToast(id), ms),
  )
}
