// Tags as chips: type one and press Enter or a comma; the board's tags are offered as you type
// (arrows and Enter, or a click). Backspace in the empty field takes the last chip back. What is
// typed but not yet a chip still counts (`tagsWithDraft`), so a save never drops it.
import { useId, useState, type KeyboardEvent } from 'react'
import { useBoard } from '../../stores/board'
import { isArrow, nextActive } from './activeOption'
import { addTags, boardTags, tagSuggestions } from './tags'

export interface TagField {
  tags: string[]
  draft: string
}

/** The tags a save sends: the chips, and what is still typed. */
export function tagsWithDraft(field: TagField): string[] {
  return addTags(field.tags, field.draft).tags
}

interface TagInputProps {
  id: string
  value: TagField
  onChange: (value: TagField) => void
}

export function TagInput({ id, value, onChange }: TagInputProps) {
  const specs = useBoard((s) => s.specs)
  const [active, setActive] = useState(-1)
  const [listOpen, setListOpen] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const listId = useId()
  const problemId = useId()
  const { tags, draft } = value
  const suggestions = listOpen ? tagSuggestions(boardTags(specs), tags, draft) : []
  const shown = suggestions.length > 0

  const commit = (typed: string) => {
    const added = addTags(tags, typed)
    onChange({ tags: added.tags, draft: '' })
    setProblem(added.problem)
    setActive(-1)
  }
  const remove = (tag: string) => onChange({ tags: tags.filter((t) => t !== tag), draft })

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return
    if (isArrow(e.key) && shown) {
      e.preventDefault()
      setActive(nextActive(active, suggestions.length, e.key, true))
    } else if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) {
      const picked = suggestions[active]
      if (!picked && draft.trim() === '') return // an empty field: Enter is the form's
      e.preventDefault()
      commit(picked ?? draft)
    } else if (e.key === ',') {
      e.preventDefault()
      commit(draft)
    } else if (e.key === 'Backspace' && draft === '' && tags.length > 0) {
      e.preventDefault()
      onChange({ tags: tags.slice(0, -1), draft: tags.at(-1) ?? '' })
    } else if (e.key === 'Escape' && shown) {
      // Only the suggestions close; the dialog or drawer around stays, with its edits.
      e.preventDefault()
      e.stopPropagation()
      setListOpen(false)
      setActive(-1)
    }
  }

  return (
    <div className="tag-input">
      <div className="tag-input-box">
        {tags.map((tag) => (
          <span key={tag} className="chip chip-removable" data-testid="tag-chip">
            <span className="chip-text">{tag}</span>
            <button
              type="button"
              className="chip-remove"
              aria-label={`Remove tag ${tag}`}
              onClick={() => remove(tag)}
            >
              ×
            </button>
          </span>
        ))}
        <input
          id={id}
          className="tag-input-field"
          role="combobox"
          aria-expanded={shown}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={shown && active >= 0 ? `${listId}-${active}` : undefined}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? problemId : undefined}
          value={draft}
          placeholder={tags.length === 0 ? 'cli, onboarding' : ''}
          autoComplete="off"
          onChange={(e) => {
            onChange({ tags, draft: e.target.value })
            setListOpen(true)
            setActive(-1)
            setProblem(null)
          }}
          onFocus={() => setListOpen(true)}
          onBlur={() => {
            setListOpen(false)
            if (draft.trim()) commit(draft)
          }}
          onKeyDown={onKeyDown}
        />
      </div>
      <ul
        id={listId}
        role="listbox"
        className="option-list"
        hidden={!shown}
        aria-label="Suggestions from the board"
      >
        {suggestions.map((tag, index) => (
          <li
            key={tag}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? 'option option-active' : 'option'}
            // The field keeps focus, so picking is not a blur that commits the typed text first.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => commit(tag)}
          >
            {tag}
          </li>
        ))}
      </ul>
      {problem && (
        <p id={problemId} className="field-problem" role="alert">
          {problem}
        </p>
      )}
    </div>
  )
}
