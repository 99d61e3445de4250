// A native modal <dialog>: the browser gives us the backdrop, inert page and focus trap; we add
// Esc/backdrop-click closing and initial focus on the element marked data-autofocus. Esc is read
// as a key, not left to the browser's cancel, which after repeated presses closes the dialog
// without asking; `onClose` decides (a form with typed edits asks first).
import { useId, useRef, type ReactNode } from 'react'
import './modal.css'
import { CloseButton } from './CloseButton'
import { useShowModal } from './useShowModal'

interface ModalProps {
  title: string
  onClose: () => void
  children: ReactNode
  testId?: string
  wide?: boolean
}

export function Modal({ title, onClose, children, testId, wide }: ModalProps) {
  const dialog = useRef<HTMLDialogElement | null>(null)
  const titleId = useId()

  // Focus goes back where it was (the button that opened it), not to the page's start.
  useShowModal(dialog, (node) => node.querySelector<HTMLElement>('[data-autofocus]'))

  return (
    <dialog
      ref={dialog}
      className={`modal${wide ? ' modal-wide' : ''}`}
      aria-labelledby={titleId}
      data-testid={testId}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || e.nativeEvent.isComposing || e.defaultPrevented) return
        e.preventDefault()
        onClose()
      }}
      onCancel={(e) => {
        e.preventDefault() // React state decides whether the dialog exists
        if (e.target === e.currentTarget) onClose()
      }}
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) onClose()
      }}
    >
      <div className="modal-content">
        <div className="modal-header">
          <h2 id={titleId} className="modal-title">
            {title}
          </h2>
          <CloseButton onClick={onClose} />
        </div>
        {children}
      </div>
    </dialog>
  )
}
