// A panel over the window (the run view, saturation) is modal: focus moves into it, what is behind
// cannot be tabbed into or clicked, and focus goes back where it came from when it closes.
import { useEffect, type RefObject } from 'react'

/** `fallback`: a selector to focus on close when where focus came from is gone or disabled. */
export function useModalFocus(panel: RefObject<HTMLElement | null>, fallback?: string): void {
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null
    panel.current?.focus({ preventScroll: true })
    const behind = [...(panel.current?.parentElement?.children ?? [])].filter(
      (element): element is HTMLElement =>
        element !== panel.current && element instanceof HTMLElement && !element.matches('.toasts'),
    )
    for (const element of behind) element.inert = true
    return () => {
      for (const element of behind) element.inert = false
      returnFocus(previous, fallback)
    }
  }, [panel, fallback])
}

/** Focus back where it was before a panel or dialog opened, or on `fallback` when that is gone. */
export function returnFocus(previous: Element | null, fallback?: string): void {
  const usable =
    previous instanceof HTMLElement &&
    previous.isConnected &&
    previous !== document.body &&
    !(previous as HTMLButtonElement).disabled
  if (usable) previous.focus()
  else if (fallback) document.querySelector<HTMLElement>(fallback)?.focus()
}
