// The two choices that place a spec on the board, a column and a lane, as the same controls in the
// new-spec dialog and the drawer.
import type { SelectHTMLAttributes } from 'react'
import { STAGES, STAGE_LABELS, type Stage } from '../../../shared/domain'

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'>

export function StageSelect({
  value,
  onChange,
  className = 'select',
  ...props
}: SelectProps & { value: Stage; onChange: (stage: Stage) => void }) {
  return (
    <select
      {...props}
      className={className}
      value={value}
      onChange={(e) => onChange(e.target.value as Stage)}
    >
      {STAGES.map((stage) => (
        <option key={stage} value={stage}>
          {STAGE_LABELS[stage]}
        </option>
      ))}
    </select>
  )
}

/** `value` null is the Unassigned lane. */
export function LaneSelect({
  value,
  lanes,
  onChange,
  className = 'select',
  ...props
}: SelectProps & {
  value: string | null
  lanes: string[]
  onChange: (agent: string | null) => void
}) {
  return (
    <select
      {...props}
      className={className}
      value={value ?? ''}
      onChange={(e) => onChange(e.target.value || null)}
    >
      <option value="">Unassigned</option>
      {lanes.map((name) => (
        <option key={name} value={name}>
          {name}
        </option>
      ))}
    </select>
  )
}
