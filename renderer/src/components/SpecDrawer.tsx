// The right-hand panel for one spec: read it, edit it, move it. Esc closes it.
import { useEffect, useRef, useState } from 'react'
import type { SpecId } from '../../../shared/domain'
import { useBoard } from '../stores/board'
import { closeDrawerAndFocusCard, focusCardElement } from './focus'
import { InlineError } from './InlineError'
import { SpecDetails } from './SpecDetails'
import { SpecEditForm } from './SpecEditForm'
import { useSpec } from './useSpec'
import './drawer.css'
import { Loading } from './Loading'
import { CloseButton } from './CloseButton'
import { CopyLink } from './CopyLink'
import { SourceMark } from './SourceMark'

export function SpecDrawer({ id }: { id: SpecId }) {
  const { spec, error, replace } = useSpec(id)
  // The board's card carries optimistic moves, so the selects answer at once.
  const card = useBoard((s) => s.specs.find((c) => c.id === id))
  const [editing, setEditing] = useState(false)
  const panel = useRef<HTMLElement | null>(null)

  useEffect(() => {
    // Keyboard users land in the drawer; Esc hands focus back to the card.
    panel.current?.focus({ preventScroll: true })
    // Closed after "Discard your changes?", focus went with the question: back to the card too.
    return () => {
      requestAnimationFrame(() => {
        if (!document.activeElement || document.activeElement === document.body) {
          focusCardElement(id)
        }
      })
    }
  }, [id])

  const shown =
    spec && card ? { ...spec, stage: card.stage, agent: card.agent, status: card.status } : spec

  return (
    <aside
      ref={panel}
      className="drawer"
      data-testid="spec-drawer"
      aria-label={shown ? `Spec: ${shown.title}` : 'Spec'}
      tabIndex={-1}
    >
      <div className="drawer-header">
        {shown ? <SourceMark source={shown.source} /> : <span />}
        <div className="drawer-actions">
          <CopyLink what="spec" id={id} />
          {shown && !editing && (
            <button
              type="button"
              className="button button-secondary button-small"
              onClick={() => setEditing(true)}
            >
              Edit
            </button>
          )}
          <CloseButton onClick={closeDrawerAndFocusCard} />
        </div>
      </div>
      <div className="drawer-body">
        {!shown && <InlineError message={error} />}
        {!shown && !error && <Loading className="drawer-loading">Loading spec…</Loading>}
        {shown && editing && (
          <SpecEditForm
            spec={shown}
            onDone={(updated) => {
              if (updated) replace(updated)
              setEditing(false)
            }}
          />
        )}
        {shown && !editing && (
          <SpecDetails spec={shown} onEdit={() => setEditing(true)} onChange={replace} />
        )}
      </div>
    </aside>
  )
}
