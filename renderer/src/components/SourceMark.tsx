// Where a spec came from ("cli", "manual", "roam" …) as a mark, not a tag: a small icon and muted
// text, so it never reads as one of the spec's tags beside it.
import './sourceMark.css'

/** A terminal prompt for the CLI, a pencil for a spec typed in here, an arrow in for the rest. */
function SourceIcon({ source }: { source: string }) {
  const path =
    source === 'cli'
      ? 'M2 3.5 6 7l-4 3.5M7.5 11H12' // >_
      : source === 'manual'
        ? 'M9.5 2.5l2 2L5 11H3V9zM8 4l2 2' // pencil
        : 'M7 2v7M4 6l3 3 3-3M2.5 11.5h9' // arrow into a tray
  return (
    <svg className="source-icon" viewBox="0 0 14 14" width="12" height="12" aria-hidden="true">
      <path d={path} fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" />
    </svg>
  )
}

export function SourceMark({ source }: { source: string }) {
  return (
    <span className="source-mark" data-testid="source-mark" title={`Came from: ${source}`}>
      <SourceIcon source={source} />
      <span className="source-text">{source}</span>
    </span>
  )
}
