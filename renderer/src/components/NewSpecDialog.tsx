// "New spec": a title is enough; body, stage, lane, tags, priority and dependencies are optional.
// Validated by the same schema the engine uses, and any engine error is shown in place. Closing it
// with anything typed or chosen (Esc, Cancel, ×, a click outside) asks first.
import { useState, type KeyboardEvent } from 'react'
import { checkInput, type Input } from '../../../shared/api'
import type { Placement, SpecId, Stage } from '../../../shared/domain'
import { toFactoryError } from '../../../shared/errors'
import { useBoard } from '../stores/board'
import { useUi } from '../stores/ui'
import { DiscardChangesDialog } from './DiscardChangesDialog'
import { Field } from './Field'
import { InlineError } from './InlineError'
import { Modal } from './Modal'
import { LaneSelect, StageSelect } from './PlacementSelects'
import { useUnsavedEdits } from './useUnsavedEdits'
import { refusalInWords } from './spec/dependencies'
import { DependencyPicker } from './spec/DependencyPicker'
import { DependencyRows } from './spec/DependencyRows'
import { parsePriority, PriorityField } from './spec/PriorityField'
import { TagInput, tagsWithDraft, type TagField } from './spec/TagInput'

export function NewSpecDialog({ place }: { place: Placement }) {
  const agents = useBoard((s) => s.agents)
  const addSpec = useBoard((s) => s.addSpec)
  const close = useUi((s) => s.closeDialog)
  const [title, setTitle] = useState('')
  const [body, setBody] = useState('')
  const [stage, setStage] = useState<Stage>(place.stage)
  const [lane, setLane] = useState(place.agent ?? '')
  const [tags, setTags] = useState<TagField>({ tags: [], draft: '' })
  const [priority, setPriority] = useState('')
  const [dependsOn, setDependsOn] = useState<SpecId[]>([])
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const typed = [title, body, tags.draft, priority].some((text) => text.trim() !== '')
  const dirty = (typed || tags.tags.length > 0 || dependsOn.length > 0) && !saving
  useUnsavedEdits(dirty)
  const requestClose = () => (dirty ? setConfirming(true) : close())

  const submit = async () => {
    if (saving) return
    const priorityValue = parsePriority(priority)
    if ('problem' in priorityValue) return setError(priorityValue.problem)
    const input: Input<'spec/add'> = {
      title,
      body,
      stage,
      agent: lane || null,
      source: 'manual',
      tags: tagsWithDraft(tags),
      priority: priorityValue.value,
      dependsOn,
    }
    const checked = checkInput('spec/add', input)
    if (!checked.ok) return setError(checked.problem)
    setSaving(true)
    try {
      const spec = await addSpec(input)
      const ui = useUi.getState()
      ui.closeDialog()
      ui.focusCard(spec.id)
      ui.showToast({ tone: 'info', message: `Added “${spec.title}”` })
    } catch (e) {
      const titleOf = (id: SpecId) => useBoard.getState().specs.find((s) => s.id === id)?.title
      setError(refusalInWords(toFactoryError(e).message, titleOf))
      setSaving(false)
    }
  }

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault()
      void submit()
    }
  }

  return (
    <Modal title="New spec" onClose={requestClose} testId="new-spec-dialog">
      <form
        className="form"
        onKeyDown={onKeyDown}
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <Field label="Title">
          {(id) => (
            <input
              id={id}
              className="input input-large"
              name="title"
              value={title}
              onChange={(e) => {
                setTitle(e.target.value)
                setError(null)
              }}
              placeholder="What should exist that doesn’t yet?"
              aria-invalid={error ? true : undefined}
              data-autofocus
              autoComplete="off"
            />
          )}
        </Field>
        <Field label="Body" hint="markdown, optional">
          {(id) => (
            <textarea
              id={id}
              className="textarea"
              name="body"
              rows={6}
              value={body}
              onChange={(e) => setBody(e.target.value)}
              placeholder="Context, acceptance criteria, links…"
            />
          )}
        </Field>
        <div className="field-row">
          <Field label="Stage" className="field-grow">
            {(id) => <StageSelect id={id} name="stage" value={stage} onChange={setStage} />}
          </Field>
          <Field label="Lane" className="field-grow">
            {(id) => (
              <LaneSelect
                id={id}
                name="lane"
                value={lane || null}
                lanes={agents.map((agent) => agent.name)}
                onChange={(agent) => setLane(agent ?? '')}
              />
            )}
          </Field>
        </div>
        <div className="field-row">
          <Field label="Tags" className="field-grow" hint="Enter or comma adds one">
            {(id) => <TagInput id={id} value={tags} onChange={setTags} />}
          </Field>
          <PriorityField value={priority} onChange={setPriority} />
        </div>
        <fieldset className="field dependency-field">
          <legend className="field-label">
            Depends on <span className="field-optional">starts once these have shipped</span>
          </legend>
          <DependencyRows
            ids={dependsOn}
            shipped={() => false}
            onRemove={(id) => setDependsOn(dependsOn.filter((other) => other !== id))}
            testId="new-spec-dependencies"
          />
          <DependencyPicker
            exclude={new Set(dependsOn)}
            onPick={(id) => setDependsOn([...dependsOn, id])}
          />
        </fieldset>
        <InlineError message={error} testId="new-spec-error" />
        <div className="form-actions">
          <span className="form-hint">
            <kbd className="kbd">Enter</kbd> in the title adds it · <kbd className="kbd">Esc</kbd>{' '}
            closes
          </span>
          <button type="button" className="button button-secondary" onClick={requestClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={saving}>
            {saving ? 'Adding…' : 'Add spec'}
          </button>
        </div>
      </form>
      {confirming && <DiscardChangesDialog onKeep={() => setConfirming(false)} onDiscard={close} />}
    </Modal>
  )
}
