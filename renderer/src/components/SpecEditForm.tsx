// Editing a spec in the drawer; only changed fields are sent, so an untouched save writes nothing.
// Leaving with typed edits asks first: Esc (wherever focus is in the window), Cancel, the drawer's
// ×, or a click on another card.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react'
import { checkInput, type Input } from '../../../shared/api'
import type { Spec } from '../../../shared/domain'
import { Field } from './Field'
import { InlineError } from './InlineError'
import { client } from '../client'
import { toFactoryError } from '../../../shared/errors'
import { guardDrawerLeave, useUi } from '../stores/ui'
import { DiscardChangesDialog } from './DiscardChangesDialog'
import { useUnsavedEdits } from './useUnsavedEdits'
import { parsePriority, PriorityField } from './spec/PriorityField'
import { TagInput, tagsWithDraft, type TagField } from './spec/TagInput'

export function SpecEditForm({ spec, onDone }: { spec: Spec; onDone: (updated?: Spec) => void }) {
  const [title, setTitle] = useState(spec.title)
  const [body, setBody] = useState(spec.body)
  const [tags, setTags] = useState<TagField>({ tags: spec.tags, draft: '' })
  const [priority, setPriority] = useState(String(spec.priority))
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  // What "Discard changes" goes on to do: leave the editor, close the drawer, show another spec.
  const [leaving, setLeaving] = useState<(() => void) | null>(null)
  const ask = (leave: () => void) => setLeaving(() => leave)
  // The field last typed in: "Keep editing" goes back to it, wherever the click that asked landed
  // (another card takes focus as it is clicked).
  const lastField = useRef<HTMLElement | null>(null)
  const keepEditing = () => {
    setLeaving(null)
    setTimeout(() => (lastField.current ?? undefined)?.focus())
  }

  const edit: Input<'spec/edit'> = { id: spec.id }
  if (title !== spec.title) edit.title = title
  if (body !== spec.body) edit.body = body
  const nextTags = tagsWithDraft(tags)
  if (nextTags.join('\n') !== spec.tags.join('\n')) edit.tags = nextTags
  const nextPriority = parsePriority(priority)
  if (!('value' in nextPriority) || nextPriority.value !== spec.priority) {
    edit.priority = 'value' in nextPriority ? nextPriority.value : Number.NaN
  }
  const dirty = Object.keys(edit).length > 1 && !saving
  const dirtyNow = useUnsavedEdits(dirty)

  const cancel = () => (dirty ? ask(() => onDone()) : onDone())

  // The drawer's × and a click on another card come through the ui store, which asks us first.
  useEffect(() => (dirty ? guardDrawerLeave(ask) : undefined), [dirty])

  useEffect(() => {
    // Esc with edits asks, even with focus outside the form, where it would close the drawer. The
    // window's capture phase sees it before the drawer's shortcut; a layer above (a dialog, the run
    // view) owns its own Esc.
    const onKeyDown = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape' || e.isComposing || e.defaultPrevented || !dirtyNow.current) return
      const ui = useUi.getState()
      if (ui.dialog || ui.runViewId || ui.saturationOpen) return
      if (document.querySelector('dialog[open]')) return
      // An open list of suggestions under a field closes first, by its own Esc.
      if (e.target instanceof Element && e.target.matches('[aria-expanded="true"]')) return
      e.preventDefault()
      e.stopPropagation()
      ask(() => onDone())
    }
    window.addEventListener('keydown', onKeyDown, true)
    return () => window.removeEventListener('keydown', onKeyDown, true)
  }, [dirtyNow, onDone])

  const save = async () => {
    if (saving) return
    if (Object.keys(edit).length === 1) return onDone()
    if ('problem' in nextPriority) return setError(nextPriority.problem)
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
      onFocus={(e) => {
        if (e.target instanceof HTMLInputElement || e.target instanceof HTMLTextAreaElement)
          lastField.current = e.target
      }}
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
          {(id) => <TagInput id={id} value={tags} onChange={setTags} />}
        </Field>
        <PriorityField value={priority} onChange={setPriority} />
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
      {leaving && (
        <DiscardChangesDialog
          onKeep={keepEditing}
          onDiscard={() => {
            setLeaving(null)
            leaving()
          }}
        />
      )}
    </form>
  )
}
