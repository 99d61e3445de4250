// Editing a spec in the drawer; only changed fields are sent, so an untouched save writes nothing.
// Leaving with typed edits (Esc, wherever focus is in the window, or Cancel) asks first.
import { useEffect, useState, type KeyboardEvent } from 'react'
import { checkInput, type Input } from '../../../shared/api'
import type { Spec } from '../../../shared/domain'
import { Field } from './Field'
import { InlineError } from './InlineError'
import { client } from '../client'
import { toFactoryError } from '../../../shared/errors'
import { useUi } from '../stores/ui'
import { DiscardChangesDialog } from './DiscardChangesDialog'
import { useUnsavedEdits } from './useUnsavedEdits'

function parseTags(text: string): string[] {
  return text
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean)
}

export function SpecEditForm({ spec, onDone }: { spec: Spec; onDone: (updated?: Spec) => void }) {
  const [title, setTitle] = useState(spec.title)
  const [body, setBody] = useState(spec.body)
  const [tags, setTags] = useState(spec.tags.join(', '))
  const [priority, setPriority] = useState(String(spec.priority))
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const [confirming, setConfirming] = useState(false)

  const edit: Input<'spec/edit'> = { id: spec.id }
  if (title !== spec.title) edit.title = title
  if (body !== spec.body) edit.body = body
  const nextTags = parseTags(tags)
  if (nextTags.join('\n') !== spec.tags.join('\n')) edit.tags = nextTags
  const nextPriority = Number(priority.trim() || '0')
  if (nextPriority !== spec.priority) edit.priority = nextPriority
  const dirty = Object.keys(edit).length > 1 && !saving
  const dirtyNow = useUnsavedEdits(dirty)

  const cancel = () => (dirty ? setConfirming(true) : onDone())

  useEffect(() => {
    // Esc with edits asks, even with focus outside the form, where it would close the drawer. The
    // window's capture phase sees it before the drawer's shortcut; a layer above (a dialog, the run
    // view) owns its own Esc.
    const onKeyDown = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape' || e.isComposing || e.defaultPrevented || !dirtyNow.current) return
      const ui = useUi.getState()
      if (ui.dialog || ui.runViewId || ui.saturationOpen) return
      if (document.querySelector('dialog[open]')) return
      e.preventDefault()
      e.stopPropagation()
      setConfirming(true)
    }
    window.addEventListener('keydown', onKeyDown, true)
    return () => window.removeEventListener('keydown', onKeyDown, true)
  }, [dirtyNow])

  const save = async () => {
    if (saving) return
    if (Object.keys(edit).length === 1) return onDone()
    // The same schema the engine applies, so the message matches what it would say.
    const checked = checkInput('spec/edit', edit)
    if (!checked.ok) return setError(checked.problem)
    setSaving(true)
    try {
      onDone(await client().call('spec/edit', edit))
    } catch (e) {
      setError(toFactoryError(e).message)
      setSaving(false)
    }
  }

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault()
      void save()
    } else if (e.key === 'Escape' && !e.defaultPrevented) {
      e.preventDefault() // cancels an untouched edit; the drawer stays open
      onDone()
    }
  }

  return (
    <form
      className="form"
      onKeyDown={onKeyDown}
      onSubmit={(e) => {
        e.preventDefault()
        void save()
      }}
    >
      <Field label="Title">
        {(id) => (
          <input
            id={id}
            className="input"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            autoFocus
            required
          />
        )}
      </Field>
      <Field label="Body">
        {(id) => (
          <textarea
            id={id}
            className="textarea textarea-tall"
            value={body}
            onChange={(e) => setBody(e.target.value)}
            placeholder="Markdown: what to build, why, and how we know it is done"
          />
        )}
      </Field>
      <div className="field-row">
        <Field label="Tags" className="field-grow">
          {(id) => (
            <input
              id={id}
              className="input"
              value={tags}
              onChange={(e) => setTags(e.target.value)}
              placeholder="cli, onboarding"
            />
          )}
        </Field>
        <Field label="Priority" className="field-narrow">
          {(id) => (
            <input
              id={id}
              className="input"
              type="number"
              step={1}
              min={-1000}
              max={1000}
              value={priority}
              onChange={(e) => setPriority(e.target.value)}
            />
          )}
        </Field>
      </div>
      <InlineError message={error} />
      <div className="form-actions">
        <span className="form-hint">
          <kbd className="kbd">Ctrl</kbd>+<kbd className="kbd">Enter</kbd> to save ·{' '}
          <kbd className="kbd">Esc</kbd> to cancel
        </span>
        <button type="button" className="button button-secondary" onClick={cancel}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
      {confirming && (
        <DiscardChangesDialog onKeep={() => setConfirming(false)} onDiscard={() => onDone()} />
      )}
    </form>
  )
}
