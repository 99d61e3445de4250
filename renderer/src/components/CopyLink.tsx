// "Copy link": the address of what is open (the location store keeps `spec=` and `run=` in it),
// for pasting elsewhere. The one place an id shows, in its tooltip, for someone who asks for it.
import { useUi } from '../stores/ui'

export function CopyLink({ what, id }: { what: string; id: string }) {
  const copy = () =>
    navigator.clipboard.writeText(window.location.href).then(
      () => useUi.getState().showToast({ tone: 'info', message: `Link to this ${what} copied` }),
      () => useUi.getState().showToast({ tone: 'error', message: 'Could not copy the link' }),
    )
  return (
    <button
      type="button"
      className="button button-ghost button-small"
      data-testid="copy-link"
      title={`Copy a link to this ${what} (${id})`}
      onClick={() => void copy()}
    >
      Copy link
    </button>
  )
}
