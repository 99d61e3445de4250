// A form holding typed edits asks before they go: Esc, Cancel and a click outside ask in the page
// (DiscardChangesDialog); a reload or closing the tab asks through the browser.
import { useEffect, useRef } from 'react'

export function useUnsavedEdits(dirty: boolean): { current: boolean } {
  const latest = useRef(dirty)
  useEffect(() => {
    latest.current = dirty
    if (!dirty) return
    const onBeforeUnload = (e: BeforeUnloadEvent) => e.preventDefault()
    window.addEventListener('beforeunload', onBeforeUnload)
    return () => window.removeEventListener('beforeunload', onBeforeUnload)
  }, [dirty])
  return latest
}
