// Priority, the same in the new-spec dialog and the drawer's editor: a whole number, higher goes
// first (cards in a cell and the allocator's queue sort by it), 0 for most specs.
import { useId } from 'react'
import { Field } from '../Field'

export const PRIORITY_RANGE = 1000

/** "5" → 5, "" → 0; a problem in words for anything the engine would refuse. */
export function parsePriority(text: string): { value: number } | { problem: string } {
  const typed = text.trim()
  if (typed === '') return { value: 0 }
  if (!/^[-+]?\d+$/.test(typed)) return { problem: `Priority: a whole number, not "${typed}"` }
  const value = Number(typed)
  if (Math.abs(value) > PRIORITY_RANGE) {
    return { problem: `Priority: from -${PRIORITY_RANGE} to ${PRIORITY_RANGE}` }
  }
  return { value }
}

export function PriorityField({
  value,
  onChange,
}: {
  value: string
  onChange: (v: string) => void
}) {
  const parsed = parsePriority(value)
  const problem = 'problem' in parsed ? parsed.problem : null
  const problemId = useId()
  return (
    <Field label="Priority" hint="higher first" className="field-priority">
      {(id) => (
        <>
          <input
            id={id}
            className="input"
            type="number"
            step={1}
            min={-PRIORITY_RANGE}
            max={PRIORITY_RANGE}
            value={value}
            placeholder="0"
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? problemId : undefined}
            onChange={(e) => onChange(e.target.value)}
          />
          {problem && (
            <p id={problemId} className="field-problem" role="alert">
              {problem}
            </p>
          )}
        </>
      )}
    </Field>
  )
}
