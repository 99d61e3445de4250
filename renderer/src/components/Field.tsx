// A labelled form field. The label points at its control by id rather than wrapping it, so the
// label's text is only the label (a wrapped textarea would lend it the whole body).
import { useId, type ReactNode } from 'react'

interface FieldProps {
  label: string
  hint?: string
  className?: string
  children: (id: string) => ReactNode
}

export function Field({ label, hint, className, children }: FieldProps) {
  const id = useId()
  return (
    <div className={className ? `field ${className}` : 'field'}>
      <label htmlFor={id} className="field-label">
        {label}
        {hint && <span className="field-optional"> {hint}</span>}
      </label>
      {children(id)}
    </div>
  )
}
