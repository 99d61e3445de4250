// Window-wide keys: N for a new spec, S for saturation, ? for help, / for the filter, Ctrl/Cmd-K
// for the command palette, Esc to close the run view, the saturation view or the drawer. Keys
// typed into a form control (a field, a select, a form's buttons), or while a dialog is open,
// belong to that control or dialog.
import { useEffect } from 'react'
import { useFilter } from '../stores/filter'
import { RUN_TABS, useUi } from '../stores/ui'
import { closeDrawerAndFocusCard } from './focus'
import { focusFilterBox } from './search/FilterBar'

/** Inputs that take no typed text: outside a form, a letter pressed on them is the window's. */
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

/** What the guard reads of the focused element (an HTMLElement in the app). */
export interface KeyTarget {
  tagName: string
  type?: string
  isContentEditable?: boolean
  closest?(selector: string): unknown
}

/**
 * Whether the keys pressed belong to the focused form control, not to the window's shortcuts: a
 * text field, a text area, a select (its letters choose an option), anything editable, and a
 * checkbox, radio or button inside a form (letters there are the form's, not "new spec").
 */
export function keysBelongToField(target: EventTarget | KeyTarget | null): boolean {
  const element = target as Partial<KeyTarget> | null
  if (!element || typeof element.tagName !== 'string') return false
  if (element.isContentEditable) return true
  const inForm = () => Boolean(element.closest?.('form'))
  switch (element.tagName.toUpperCase()) {
    case 'TEXTAREA':
    case 'SELECT':
      return true
    case 'INPUT':
      return !NOT_TYPED.has((element.type ?? 'text').toLowerCase()) || inForm()
    case 'BUTTON':
      return inForm()
    default:
      return false
  }
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
        if (keysBelongToField(e.target) || e.ctrlKey || e.metaKey || e.altKey) return
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
        if (keysBelongToField(e.target) || e.ctrlKey || e.metaKey || e.altKey) return
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
        !keysBelongToField(e.target)
      ) {
        if (undoLatest()) e.preventDefault()
        return
      }
      if (keysBelongToField(e.target) || e.ctrlKey || e.metaKey || e.altKey) return
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
