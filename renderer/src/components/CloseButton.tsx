// The × that closes a drawer, a dialog or the run view; Esc does the same, and the label says so.
export function CloseButton({ onClick }: { onClick: () => void }) {
  return (
    <button
      type="button"
      className="button button-ghost button-icon"
      aria-label="Close (Esc)"
      title="Close (Esc)"
      onClick={onClick}
    >
      ×
    </button>
  )
}
