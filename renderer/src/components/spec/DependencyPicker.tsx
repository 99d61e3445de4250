// "Add a dependency": a search over the board's specs by title. Type to narrow, arrows to move,
// Enter to take one; Esc (or leaving it) closes only the picker, so the form around it keeps
// everything typed. The same picker serves the drawer and the new-spec dialog.
import { useId, useRef, useState, type KeyboardEvent } from 'react'
import type { SpecId } from '../../../../shared/domain'
import { useBoard } from '../../stores/board'
import { isArrow, nextActive } from './activeOption'
import { dependencyChoices, dependencyState } from './dependencies'

interface DependencyPickerProps {
  /** The spec itself (when it exists) and those it already depends on. */
  exclude: ReadonlySet<SpecId>
  onPick: (id: SpecId) => void
  disabled?: boolean
}

export function DependencyPicker({ exclude, onPick, disabled }: DependencyPickerProps) {
  const specs = useBoard((s) => s.specs)
  const [open, setOpen] = useState(false)
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const opener = useRef<HTMLButtonElement | null>(null)
  const listId = useId()
  const choices = open ? dependencyChoices(specs, exclude, query) : []

  const close = (refocus: boolean) => {
    setOpen(false)
    setQuery('')
    setActive(0)
    // After React has put the button back in place of the field.
    if (refocus) requestAnimationFrame(() => opener.current?.focus())
  }
  const pick = (id: SpecId) => {
    onPick(id)
    close(true)
  }

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return
    if (isArrow(e.key)) {
      e.preventDefault()
      setActive(nextActive(active, choices.length, e.key, false))
    } else if (e.key === 'Enter') {
      // Enter here never submits the form around: it takes the option, or does nothing.
      e.preventDefault()
      e.stopPropagation()
      const choice = choices[active]
      if (choice) pick(choice.id)
    } else if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      close(true)
    }
  }

  if (!open) {
    return (
      <button
        ref={opener}
        type="button"
        className="button button-secondary button-small"
        disabled={disabled}
        onClick={() => setOpen(true)}
      >
        Add a dependency
      </button>
    )
  }
  return (
    <div
      className="dependency-picker"
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) close(false)
      }}
    >
      <input
        className="input"
        role="combobox"
        aria-label="Find a spec to depend on"
        aria-expanded
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={choices[active] ? `${listId}-${active}` : undefined}
        placeholder="Type a title…"
        value={query}
        autoFocus
        autoComplete="off"
        onChange={(e) => {
          setQuery(e.target.value)
          setActive(0)
        }}
        onKeyDown={onKeyDown}
      />
      <ul id={listId} role="listbox" className="option-list" aria-label="Specs">
        {choices.map((choice, index) => (
          <li
            key={choice.id}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? 'option option-active' : 'option'}
            onMouseDown={(e) => e.preventDefault()}
            onMouseEnter={() => setActive(index)}
            onClick={() => pick(choice.id)}
          >
            <span className="option-label">{choice.title}</span>
            <span className="option-hint">{dependencyState(choice, false)}</span>
          </li>
        ))}
        {choices.length === 0 && (
          <li className="option-empty" role="presentation">
            {query.trim() ? `No other spec’s title has “${query.trim()}”` : 'No other specs yet'}
          </li>
        )}
      </ul>
    </div>
  )
}
