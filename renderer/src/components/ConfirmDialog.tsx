// A question over whatever is open ("Discard your changes?", "Remove the bob lane?"): a native
// modal <dialog> that answers Esc and a click outside with `onDismiss`, the safe answer. Focus
// starts on `focus` (the safe button) and goes back where it was when the dialog goes.
import { useId, useRef, type ReactNode, type RefObject } from 'react'
import { useShowModal } from './useShowModal'
import './modal.css'

interface ConfirmDialogProps {
  title: string
  children: ReactNode
  /** The buttons, in the order shown. */
  actions: ReactNode
  onDismiss: () => void
  focus: RefObject<HTMLButtonElement | null>
  testId: string
}

export function ConfirmDialog({
  title,
  children,
  actions,
  onDismiss,
  focus,
  testId,
}: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement | null>(null)
  const titleId = useId()
  const textId = useId()
  useShowModal(dialog, () => focus.current)

  return (
    <dialog
      ref={dialog}
      className="modal modal-confirm"
      aria-labelledby={titleId}
      aria-describedby={textId}
      data-testid={testId}
      onKeyDown={(e) => {
        // Handled here, so the browser's own Esc handling (which may close a dialog without asking
        // after repeated presses) never runs, and no key reaches the form or window shortcuts.
        if (e.key === 'Escape') {
          e.preventDefault()
          onDismiss()
        }
        e.stopPropagation()
      }}
      onCancel={(e) => {
        e.preventDefault()
        e.stopPropagation()
        onDismiss()
      }}
      onMouseDown={(e) => {
        e.stopPropagation()
        if (e.target === e.currentTarget) onDismiss()
      }}
    >
      <div className="modal-content">
        <h2 id={titleId} className="modal-title">
          {title}
        </h2>
        <div id={textId} className="modal-text">
          {children}
        </div>
        <div className="form-actions">{actions}</div>
      </div>
    </dialog>
  )
}
