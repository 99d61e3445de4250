// Quota windows as rows: a window ("5h"), a unit and a limit, added and removed in place.
import { QUOTA_UNITS, type QuotaUnit, MAX_QUOTA_WINDOWS } from '../../../../shared/quotas'
import { Fragment, useId } from 'react'
import type { QuotaRow } from './agentForm'

const UNIT_LABELS: Record<QuotaUnit, string> = {
  tokens: 'tokens',
  usd: 'US dollars',
  messages: 'messages',
  runs: 'runs',
}

interface QuotaRowsProps {
  rows: QuotaRow[]
  onChange: (rows: QuotaRow[]) => void
  /** What is wrong with each row's limit, shown under that row. */
  problems?: (string | null)[]
}

export function QuotaRows({ rows, onChange, problems = [] }: QuotaRowsProps) {
  const baseId = useId()
  const change = (index: number, patch: Partial<QuotaRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...patch } : row)))
  return (
    <fieldset className="quota-rows">
      <legend className="field-label">
        Quota windows{' '}
        <span className="field-optional">
          rolling; no new run starts past a limit, and one already started can pass it
        </span>
      </legend>
      {rows.length === 0 ? (
        <p className="quota-empty">No windows: this lane is never held for quota.</p>
      ) : (
        // Each field has its own label for screen readers; this row names the columns for the eye.
        <div className="quota-row quota-head" aria-hidden="true">
          <span className="quota-window">Window</span>
          <span className="quota-unit">Unit</span>
          <span className="quota-limit">Limit</span>
        </div>
      )}
      {rows.map((row, index) => (
        <Fragment key={index}>
          <div className="quota-row" data-testid="quota-row">
            <input
              className="input quota-window"
              aria-label={`Window ${index + 1} length`}
              value={row.window}
              placeholder="5h"
              onChange={(e) => change(index, { window: e.target.value })}
            />
            <select
              className="select quota-unit"
              aria-label={`Window ${index + 1} unit`}
              value={row.unit}
              onChange={(e) => change(index, { unit: e.target.value as QuotaUnit })}
            >
              {QUOTA_UNITS.map((unit) => (
                <option key={unit} value={unit}>
                  {UNIT_LABELS[unit]}
                </option>
              ))}
            </select>
            <input
              className="input quota-limit"
              aria-label={`Window ${index + 1} limit`}
              value={row.limit}
              placeholder={row.unit === 'usd' ? '$200' : '2M'}
              aria-invalid={problems[index] ? true : undefined}
              aria-describedby={problems[index] ? `${baseId}-${index}` : undefined}
              onChange={(e) => change(index, { limit: e.target.value })}
            />
            <button
              type="button"
              className="button button-ghost button-small"
              aria-label={`Remove window ${index + 1}`}
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
            >
              Remove
            </button>
          </div>
          {problems[index] && (
            <p id={`${baseId}-${index}`} className="field-problem" role="alert">
              Window {index + 1} limit: {problems[index]}
            </p>
          )}
        </Fragment>
      ))}
      <button
        type="button"
        className="button button-secondary button-small quota-add"
        disabled={rows.length >= MAX_QUOTA_WINDOWS}
        title={
          rows.length >= MAX_QUOTA_WINDOWS ? `At most ${MAX_QUOTA_WINDOWS} windows` : undefined
        }
        onClick={() => onChange([...rows, { window: '5h', unit: 'tokens', limit: '' }])}
      >
        Add a window
      </button>
    </fieldset>
  )
}
