// A native <dialog> shown modal while its component is mounted: the browser gives the backdrop,
// the inert page and the focus trap. Focus starts where `initialFocus` says and goes back where it
// was (the button that opened it, the field Esc was pressed in) when the dialog goes.
import { useEffect, useRef, type RefObject } from 'react'
import { returnFocus } from './useModalFocus'

export function useShowModal(
  dialog: RefObject<HTMLDialogElement | null>,
  initialFocus: (node: HTMLDialogElement) => HTMLElement | null | undefined,
): void {
  // Shown once per mount: the first render's `initialFocus` is the one used.
  const focusFirst = useRef(initialFocus)
  useEffect(() => {
    const node = dialog.current
    if (!node) return
    const opener = document.activeElement
    if (!node.open) node.showModal()
    focusFirst.current(node)?.focus()
    return () => {
      node.close()
      returnFocus(opener)
    }
  }, [dialog])
}
