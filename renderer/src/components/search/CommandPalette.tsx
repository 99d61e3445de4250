// Ctrl/Cmd-K: one box to reach any spec (opens its drawer), any lane (scrolls to it), the app's
// actions and the filters, by fuzzy match. A modal <dialog> holding a combobox and its listbox:
// the arrow keys move the active option (aria-activedescendant), Enter takes it, Esc closes.
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { SPEC_STATUSES, STAGE_LABELS, type Agent } from '../../../../shared/domain'
import { toFactoryError } from '../../../../shared/errors'
import { laneLabel, laneSlug } from '../../board/cells'
import { useBoard } from '../../stores/board'
import { useCapacity } from '../../stores/capacity'
import { useClock } from '../../stores/clock'
import { useFilter } from '../../stores/filter'
import { useUi } from '../../stores/ui'
import { holdAction, toggleHold } from '../agent/laneHold'
import { returnFocus } from '../useModalFocus'
import { FACET_LABELS, isFiltering, type Facet } from './boardFilter'
import { focusFilterBox } from './FilterBar'
import { highlightRuns } from './fuzzy'
import { goToLane } from './goToLane'
import {
  flatOptions,
  laneHoldEntries,
  paletteGroups,
  type PaletteEntry,
  type PaletteOption,
  type PaletteSources,
  type PaletteTarget,
} from './paletteItems'
import './search.css'

/** The allocator's own controls on the board do the work, so the palette says the same things. */
const clickOnBoard = (testId: string) => () =>
  document.querySelector<HTMLElement>(`[data-testid="${testId}"]`)?.click()

interface Action extends PaletteEntry {
  run: () => void
}

function useActions(): Action[] {
  const filtering = useFilter((s) => isFiltering(s.filter))
  const autoDispatch = useCapacity((s) => s.settings?.autoDispatch)
  return useMemo(() => {
    const ui = useUi.getState()
    const action = (key: string, label: string, hint: string, run: () => void, keywords = '') => ({
      key: `action-${key}`,
      label,
      hint,
      keywords,
      target: { kind: 'action', action: key } as const,
      run,
    })
    const board = document.querySelector('.board')
    const actions: Action[] = [
      action('new-spec', 'New spec', 'N', () => ui.openNewSpec(), 'add create idea'),
      action('filter', 'Filter cards', '/', focusFilterBox, 'search find'),
      action('saturation', 'Saturation view', 'S', () => ui.openSaturation(), 'utilization quota'),
      action(
        'add-lane',
        'Add a lane',
        '',
        () => ui.openDialog({ kind: 'agent', name: null }),
        'agent',
      ),
    ]
    // Only what the board offers now (the Unassigned lane's controls, once settings are read).
    if (board?.querySelector('[data-testid="allocate-now"]'))
      actions.push(
        action(
          'allocate',
          'Allocate now',
          'Run the allocator',
          clickOnBoard('allocate-now'),
          'dispatch',
        ),
      )
    if (autoDispatch !== undefined && board?.querySelector('.allocator-switch input'))
      actions.push(
        action(
          'auto-dispatch',
          autoDispatch ? 'Turn auto-dispatch off' : 'Turn auto-dispatch on',
          '',
          () => board.querySelector<HTMLElement>('.allocator-switch input')?.click(),
          'allocator',
        ),
      )
    if (filtering)
      actions.push(
        action('clear', 'Clear filters', '', () => useFilter.getState().clear(), 'reset'),
      )
    actions.push(
      action('help', 'Keyboard shortcuts', '?', () => ui.openDialog({ kind: 'help' }), 'help keys'),
    )
    return actions
  }, [filtering, autoDispatch])
}

/** The lane editor's hold button, from the palette: the same call, said in a toast. */
async function changeHold(agent: Agent, now: number): Promise<void> {
  const { showToast } = useUi.getState()
  const action = holdAction(agent, now)
  try {
    await toggleHold(agent, now)
    showToast({
      tone: 'info',
      message:
        action === 'pause'
          ? `${agent.name} paused until you resume it`
          : `${agent.name} resumed: it takes runs again`,
    })
  } catch (error) {
    showToast({
      tone: 'error',
      message: `Could not ${action} ${agent.name}: ${toFactoryError(error).message}`,
    })
  }
}

/** "Pause bob" / "Resume bob" for each lane, whichever its hold allows now. */
function useLaneActions(): Action[] {
  const agents = useBoard((s) => s.agents)
  const now = useClock((s) => s.now)
  return useMemo(
    () =>
      laneHoldEntries(agents, now).map((entry, index) => ({
        ...entry,
        run: () => void changeHold(agents[index]!, now),
      })),
    [agents, now],
  )
}

function useSources(actions: readonly Action[], laneActions: readonly Action[]): PaletteSources {
  const specs = useBoard((s) => s.specs)
  const agents = useBoard((s) => s.agents)
  const filter = useFilter((s) => s.filter)
  return useMemo(() => {
    const lanes = [null, ...agents.map((a) => a.name)]
    const tags = new Set<string>()
    const sources = new Set<string>()
    for (const spec of specs) {
      spec.tags.forEach((tag) => tags.add(tag))
      sources.add(spec.source)
    }
    const filterEntry = (facet: Facet, value: string | null): PaletteEntry => {
      const label = `${FACET_LABELS[facet]}: ${facet === 'lane' ? laneLabel(value) : value}`
      const chosen = (filter[facet] as readonly (string | null)[]).includes(value)
      return {
        key: `filter-${facet}-${value ?? ''}`,
        label,
        hint: chosen ? 'Stop filtering by it' : 'Filter by it',
        keywords: facet,
        target: { kind: 'filter', facet, value },
      }
    }
    return {
      specs: specs.map((spec) => ({
        key: `spec-${spec.id}`,
        label: spec.title,
        hint: `${STAGE_LABELS[spec.stage]} · ${laneLabel(spec.agent)} · ${spec.status}`,
        keywords: spec.id,
        target: { kind: 'spec', spec },
      })),
      lanes: lanes.map((lane) => ({
        key: `lane-${laneSlug(lane)}`,
        label: laneLabel(lane),
        hint: 'Go to lane',
        target: { kind: 'lane', lane },
      })),
      actions,
      laneActions,
      filters: [
        ...[...tags].map((tag) => filterEntry('tag', tag)),
        ...[...sources].map((source) => filterEntry('source', source)),
        ...lanes.map((lane) => filterEntry('lane', lane)),
        ...SPEC_STATUSES.map((status) => filterEntry('status', status)),
      ],
    }
  }, [specs, agents, filter, actions, laneActions])
}

export function CommandPalette() {
  const close = useFilter((s) => s.closePalette)
  const dialog = useRef<HTMLDialogElement | null>(null)
  const input = useRef<HTMLInputElement | null>(null)
  const list = useRef<HTMLDivElement | null>(null)
  // What to do once closed, after focus went back: a drawer or a lane then takes it.
  const afterClose = useRef<(() => void) | null>(null)
  const listId = useId()
  const [query, setQuery] = useState('')
  const [active, setActive] = useState(0)
  const actions = useActions()
  const laneActions = useLaneActions()
  const sources = useSources(actions, laneActions)
  const groups = useMemo(() => paletteGroups(query, sources), [query, sources])
  const options = useMemo(() => flatOptions(groups), [groups])
  const current = options[Math.min(active, options.length - 1)]
  const optionId = (option: PaletteOption) => `${listId}-${option.key}`

  useEffect(() => {
    const node = dialog.current
    if (!node) return
    const opener = document.activeElement
    if (!node.open) node.showModal()
    input.current?.focus()
    return () => {
      node.close()
      returnFocus(opener)
      const next = afterClose.current
      afterClose.current = null
      next?.()
    }
  }, [])

  useEffect(() => {
    if (!current) return
    document.getElementById(optionId(current))?.scrollIntoView({ block: 'nearest' })
    // eslint-disable-next-line react-hooks/exhaustive-deps -- optionId only reads listId
  }, [current])

  const choose = (option: PaletteOption | undefined) => {
    if (!option) return
    afterClose.current = () => perform(option.target, [...actions, ...laneActions])
    close()
  }

  const onKeyDown = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.nativeEvent.isComposing) return
    const step = { ArrowDown: 1, ArrowUp: -1, PageDown: 8, PageUp: -8 }[e.key]
    if (step !== undefined && options.length > 0) {
      e.preventDefault()
      const at = Math.min(active, options.length - 1)
      const next = Math.abs(step) === 1 ? (at + step + options.length) % options.length : at + step
      setActive(Math.max(0, Math.min(options.length - 1, next)))
    } else if (e.key === 'Enter') {
      e.preventDefault()
      choose(current)
    } else if (e.key === 'Escape' || ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k')) {
      // Ours, not the drawer's: Esc here closes only the palette.
      e.preventDefault()
      e.stopPropagation()
      close()
    }
  }

  return (
    <dialog
      ref={dialog}
      className="palette"
      aria-label="Command palette"
      data-testid="command-palette"
      onKeyDown={onKeyDown}
      onCancel={(e) => {
        e.preventDefault()
        close()
      }}
      onMouseDown={(e) => {
        if (e.target === e.currentTarget) close()
      }}
    >
      <div className="palette-box">
        <span className="filter-icon" aria-hidden="true" />
        <input
          ref={input}
          className="palette-input"
          type="text"
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={current ? optionId(current) : undefined}
          aria-label="Go to a spec or lane, or run an action"
          placeholder="Go to a spec or lane, or run an action…"
          autoComplete="off"
          spellCheck={false}
          maxLength={200}
          value={query}
          data-testid="palette-input"
          onChange={(e) => {
            setQuery(e.target.value)
            setActive(0)
          }}
        />
        <kbd className="kbd">Esc</kbd>
      </div>
      <div className="palette-list" id={listId} role="listbox" aria-label="Results" ref={list}>
        {options.length === 0 && (
          <div className="palette-none" role="presentation">
            Nothing matches “{query.trim()}”
          </div>
        )}
        {groups.map((group, index) => (
          <div
            key={group.title}
            role="group"
            aria-labelledby={`${listId}-group-${index}`}
            className="palette-group"
          >
            <div
              id={`${listId}-group-${index}`}
              className="palette-group-title"
              role="presentation"
            >
              {group.title}
            </div>
            {group.options.map((option) => (
              <div
                key={option.key}
                id={optionId(option)}
                role="option"
                aria-selected={option === current}
                className={`palette-option${option === current ? ' palette-option-active' : ''}`}
                data-testid="palette-option"
                onMouseMove={() => {
                  const index = options.indexOf(option)
                  if (index !== active) setActive(index)
                }}
                onClick={() => choose(option)}
              >
                <span className="palette-option-label">
                  {highlightRuns(option.prepared, option.matched).map((run, i) =>
                    run.hit ? <mark key={i}>{run.text}</mark> : <span key={i}>{run.text}</span>,
                  )}
                </span>
                {option.hint && <span className="palette-option-hint">{option.hint}</span>}
              </div>
            ))}
          </div>
        ))}
      </div>
      <div className="palette-footer" aria-hidden="true">
        <span>
          <kbd className="kbd">↑</kbd>
          <kbd className="kbd">↓</kbd> to move
        </span>
        <span>
          <kbd className="kbd">Enter</kbd> to open
        </span>
      </div>
    </dialog>
  )
}

function perform(target: PaletteTarget, actions: readonly Action[]): void {
  switch (target.kind) {
    case 'spec':
      useUi.getState().openDrawer(target.spec.id)
      return
    case 'lane':
      goToLane(target.lane)
      return
    case 'action':
      actions.find((a) => a.target.kind === 'action' && a.target.action === target.action)?.run()
      return
    case 'filter':
      useFilter.getState().toggle(target.facet, target.value)
      return
  }
}
