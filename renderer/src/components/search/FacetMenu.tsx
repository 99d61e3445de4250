// One facet of the filter bar (tag, source, lane or status): a button that says what is chosen,
// and a menu of checkboxes with how many cards each would show. Esc, a click outside or tabbing
// away closes it.
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { useBoard } from '../../stores/board'
import { useFilter } from '../../stores/filter'
import { FACET_LABELS, facetOptions, fold, type Facet } from './boardFilter'

/** More options than this get a box to narrow them by typing. */
const NARROW_FROM = 8

export function FacetMenu({ facet }: { facet: Facet }) {
  const chosen = useFilter((s) => s.filter[facet])
  const [open, setOpen] = useState(false)
  const root = useRef<HTMLDivElement | null>(null)
  const button = useRef<HTMLButtonElement | null>(null)
  const menuId = useId()
  const label = FACET_LABELS[facet]
  const summary =
    chosen.length === 0
      ? null
      : chosen.length === 1
        ? facet === 'lane' && chosen[0] === null
          ? 'Unassigned'
          : String(chosen[0])
        : `${chosen.length}`

  useEffect(() => {
    if (!open) return
    const onPointerDown = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false)
    }
    document.addEventListener('pointerdown', onPointerDown)
    return () => document.removeEventListener('pointerdown', onPointerDown)
  }, [open])

  const close = (focusButton: boolean) => {
    setOpen(false)
    if (focusButton) button.current?.focus()
  }

  return (
    <div
      className="facet"
      ref={root}
      onBlur={(e) => {
        if (open && e.relatedTarget && !root.current?.contains(e.relatedTarget as Node))
          setOpen(false)
      }}
    >
      <button
        ref={button}
        type="button"
        className={`button button-small facet-button${summary ? ' facet-button-active' : ''}`}
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        data-testid={`facet-${facet}`}
        title={
          summary
            ? `${label}: ${chosen.map(String).join(', ')}`
            : `Filter by ${label.toLowerCase()}`
        }
        onClick={() => setOpen((o) => !o)}
      >
        {label}
        {summary && <span className="facet-summary">{summary}</span>}
        <span className="facet-chevron" aria-hidden="true" />
      </button>
      {open && <FacetOptions facet={facet} id={menuId} onClose={close} />}
    </div>
  )
}

function FacetOptions({
  facet,
  id,
  onClose,
}: {
  facet: Facet
  id: string
  onClose: (focusButton: boolean) => void
}) {
  const specs = useBoard((s) => s.specs)
  const agents = useBoard((s) => s.agents)
  const filter = useFilter((s) => s.filter)
  const { toggle, clearFacet } = useFilter.getState()
  const [narrow, setNarrow] = useState('')
  const list = useRef<HTMLDivElement | null>(null)
  const options = useMemo(
    () => facetOptions(facet, specs, agents, filter),
    [facet, specs, agents, filter],
  )
  const needle = fold(narrow.trim())
  const shown = needle ? options.filter((o) => fold(o.label).includes(needle)) : options
  const label = FACET_LABELS[facet].toLowerCase()

  useEffect(() => {
    list.current?.querySelector<HTMLElement>('input')?.focus()
  }, [])

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'Escape') {
      e.preventDefault()
      e.stopPropagation()
      onClose(true)
      return
    }
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return
    const inputs = [...(list.current?.querySelectorAll<HTMLElement>('input') ?? [])]
    const at = inputs.indexOf(document.activeElement as HTMLElement)
    const next = inputs[at + (e.key === 'ArrowDown' ? 1 : -1)]
    if (next) {
      e.preventDefault()
      next.focus()
    }
  }

  return (
    <div
      className="facet-menu"
      id={id}
      role="group"
      aria-label={`Filter by ${label}`}
      data-testid={`facet-menu-${facet}`}
      ref={list}
      onKeyDown={onKeyDown}
    >
      {options.length > NARROW_FROM && (
        <input
          className="input facet-narrow"
          type="text"
          placeholder={`Find a ${label}…`}
          aria-label={`Find a ${label}`}
          value={narrow}
          maxLength={100}
          onChange={(e) => setNarrow(e.target.value)}
        />
      )}
      <div className="facet-options">
        {shown.length === 0 && (
          <div className="facet-none">
            {options.length === 0 ? `No ${label}s on the board` : `No ${label} matches`}
          </div>
        )}
        {shown.map((option) => (
          <label
            key={String(option.value)}
            className={`facet-option${option.count === 0 && !option.chosen ? ' facet-option-empty' : ''}`}
          >
            <input
              type="checkbox"
              checked={option.chosen}
              onChange={() => toggle(facet, option.value)}
            />
            <span className="facet-option-label">{option.label}</span>
            <span className="facet-option-count">{option.count.toLocaleString()}</span>
          </label>
        ))}
      </div>
      {filter[facet].length > 0 && (
        <div className="facet-footer">
          <button
            type="button"
            className="link-button"
            onClick={() => {
              clearFacet(facet)
              onClose(true)
            }}
          >
            Any {label}
          </button>
        </div>
      )}
    </div>
  )
}
