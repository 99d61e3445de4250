// An error shown where it happened (a form, the drawer), announced to screen readers.
export function InlineError({ message, testId }: { message: string | null; testId?: string }) {
  if (!message) return null
  return (
    <div className="inline-error" role="alert" data-testid={testId}>
      {message}
    </div>
  )
}
