// Something is on its way: a spinner and what is being fetched, announced to screen readers.
import type { ReactNode } from 'react'

export function Loading({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <p className={className} role="status">
      <span className="spinner" aria-hidden="true" /> {children}
    </p>
  )
}
