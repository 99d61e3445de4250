// "Discard your changes?": asked when Esc, Cancel or a click outside would close a form holding
// typed edits. Keep editing is focused, so Enter or Esc pressed out of habit loses nothing.
import { useId, useRef } from 'react'
import { useShowModal } from './useShowModal'
import './modal.css'

export function DiscardChangesDialog({
  onKeep,
  onDiscard,
}: {
  onKeep: () => void
  onDiscard: () => void
}) {
  const dialog = useRef<HTMLDialogElement | null>(null)
  const keep = useRef<HTMLButtonElement | null>(null)
  const titleId = useId()
  const textId = useId()

  // Back to the field the Esc was pressed in, when the edits are kept.
  useShowModal(dialog, () => keep.current)

  return (
    <dialog
      ref={dialog}
      className="modal modal-confirm"
      aria-labelledby={titleId}
      aria-describedby={textId}
      data-testid="discard-changes"
      onKeyDown={(e) => {
        // Handled here, so the browser's own Esc handling (which may close a dialog without asking
        // after repeated presses) never runs, and no key reaches the form or window shortcuts.
        if (e.key === 'Escape') {
          e.preventDefault()
          onKeep()
        }
        e.stopPropagation()
      }}
      onCancel={(e) => {
        e.preventDefault()
        e.stopPropagation()
        onKeep()
      }}
      onMouseDown={(e) => {
        e.stopPropagation()
        if (e.target === e.currentTarget) onKeep()
      }}
    >
      <div className="modal-content">
        <h2 id={titleId} className="modal-title">
          Discard your changes?
        </h2>
        <p id={textId} className="modal-text">
          What you typed has not been saved. Keep editing to go back to it.
        </p>
        <div className="form-actions">
          <button type="button" className="button button-secondary" onClick={onDiscard}>
            Discard changes
          </button>
          <button ref={keep} type="button" className="button button-primary" onClick={onKeep}>
            Keep editing
          </button>
        </div>
      </div>
    </dialog>
  )
}
