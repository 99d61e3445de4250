// Short-lived notes at the bottom: where a card went (with Undo), or why something failed. They
// take their own room below the board, left of an open drawer, so they never lie over a card, a
// lane header or the drawer's edge; at most three at once (the ui store drops the oldest).
import { useUi } from '../stores/ui'
import './toast.css'

export function Toasts() {
  const toasts = useUi((s) => s.toasts)
  const dismiss = useUi((s) => s.dismissToast)
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          className={`toast toast-${toast.tone}`}
          data-testid="toast"
          // A refusal is announced at once; news waits for a pause.
          role={toast.tone === 'error' ? 'alert' : undefined}
        >
          <span className="toast-message">{toast.message}</span>
          {toast.action && (
            <button
              type="button"
              className="button button-small toast-action"
              onClick={() => {
                dismiss(toast.id)
                toast.action?.run()
              }}
            >
              {toast.action.label}
            </button>
          )}
          <button
            type="button"
            className="button button-ghost button-icon button-small toast-close"
            aria-label="Dismiss"
            onClick={() => dismiss(toast.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  )
}
