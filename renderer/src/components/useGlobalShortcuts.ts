// Window-wide keys: N for a new spec, S for saturation, ? for help, / for the filter, Ctrl/Cmd-K
// for the command palette, Esc to close the run view, the saturation view or the drawer. Keys
// typed into a field, or while a dialog is open, belong to that field or dialog.
import { useEffect } from 'react'
import { useFilter } from '../stores/filter'
import { RUN_TABS, useUi } from '../stores/ui'
import { closeDrawerAndFocusCard } from './focus'
import { focusFilterBox } from './search/FilterBar'

/** Inputs that take no typed text: a key pressed on them is the window's (Space and arrows are theirs). */
const NOT_TYPED = new Set([
  'checkbox',
  'radio',
  'button',
  'submit',
  'reset',
  'range',
  'color',
  'file',
])

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target instanceof HTMLInputElement) return !NOT_TYPED.has(target.type)
  return target.isContentEditable || target.tagName === 'TEXTAREA'
}

/** The newest toast's Undo, if one is offered: Ctrl/Cmd-Z from the board. */
export function undoLatest(): boolean {
  const toast = [...useUi.getState().toasts].reverse().find((t) => t.action?.label === 'Undo')
  if (!toast) return false
  toast.action!.run()
  useUi.getState().dismissToast(toast.id)
  return true
}

export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return
      const ui = useUi.getState()
      if (ui.dialog || useFilter.getState().paletteOpen) return
      if (ui.runViewId) {
        // A dialog over the run view (request changes, discard) owns its keys, Esc included.
        if (document.querySelector('dialog[open]')) return
        if (e.key === 'Escape') {
          e.preventDefault()
          ui.closeRun()
          return
        }
        if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return
        const tab = RUN_TABS.find((t) => t.key === e.key)
        if (tab) ui.setRunTab(tab.id)
        else if (e.key === '?') ui.openDialog({ kind: 'help' })
        return
      }
      if (ui.saturationOpen) {
        if (e.key === 'Escape') {
          e.preventDefault()
          ui.closeSaturation()
          return
        }
        if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return
        if (e.key === 's' || e.key === 'S') ui.closeSaturation()
        else if (e.key === '?') ui.openDialog({ kind: 'help' })
        return
      }
      if (e.key === 'Escape' && ui.drawerSpecId) {
        closeDrawerAndFocusCard()
        return
      }
      // The palette answers from a field too (the filter box, the drawer's), as in other apps.
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
        e.preventDefault()
        useFilter.getState().openPalette()
        return
      }
      // Ctrl/Cmd-Z in a field is the field's own undo; on the board it takes back the last move.
      if (
        (e.ctrlKey || e.metaKey) &&
        !e.altKey &&
        !e.shiftKey &&
        e.key.toLowerCase() === 'z' &&
        !isTyping(e.target)
      ) {
        if (undoLatest()) e.preventDefault()
        return
      }
      // A select answers letters by choosing an option: those stay its own.
      if (e.target instanceof HTMLSelectElement && /^\w$/.test(e.key)) return
      if (isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return
      if (e.key === '/') {
        e.preventDefault()
        focusFilterBox()
        return
      }
      if (e.key === 'n' || e.key === 'N') {
        e.preventDefault()
        ui.openNewSpec()
      } else if (e.key === '?') {
        e.preventDefault()
        ui.openDialog({ kind: 'help' })
      } else if (e.key === 's' || e.key === 'S') {
        e.preventDefault()
        ui.openSaturation()
      }
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])
}
