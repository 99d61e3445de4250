// "Discard your changes?": asked when Esc, Cancel, × or a click outside would close a form holding
// typed edits. Keep editing is focused, so Enter or Esc pressed out of habit loses nothing.
import { useRef } from 'react'
import { ConfirmDialog } from './ConfirmDialog'

export function DiscardChangesDialog({
  onKeep,
  onDiscard,
}: {
  onKeep: () => void
  onDiscard: () => void
}) {
  const keep = useRef<HTMLButtonElement | null>(null)
  return (
    <ConfirmDialog
      title="Discard your changes?"
      onDismiss={onKeep}
      focus={keep}
      testId="discard-changes"
      actions={
        <>
          <button type="button" className="button button-secondary" onClick={onDiscard}>
            Discard changes
          </button>
          <button ref={keep} type="button" className="button button-primary" onClick={onKeep}>
            Keep editing
          </button>
        </>
      }
    >
      What you typed has not been saved. Keep editing to go back to it.
    </ConfirmDialog>
  )
}
