// A shipped card's own line: what it shipped (name, version, a link to it) and where its branch
// stands ("Merged into main", "Not merged · 3 commits"), both from the board's read, no request.
import { branchWords } from '../../../shared/branch'
import type { RunBadge } from '../../../shared/runs'

/** A click, press or key on the link is the link's: it neither opens the drawer nor drags. */
const own = (event: { stopPropagation: () => void }) => event.stopPropagation()

export function CardShipped({ run }: { run: RunBadge }) {
  const { artifact, branchState } = run
  if (!artifact && !branchState) return null
  const label = artifact && `${artifact.name} ${artifact.version}`
  return (
    <div className="card-shipped" data-testid="card-shipped">
      {artifact &&
        (artifact.url ? (
          // Reached by keyboard in the run view; a card keeps one Tab stop.
          <a
            className="card-artifact"
            data-testid="card-artifact"
            href={artifact.url}
            target="_blank"
            rel="noreferrer"
            tabIndex={-1}
            title={`Open ${artifact.url}`}
            onClick={own}
            onPointerDown={own}
            onKeyDown={own}
          >
            {label}
          </a>
        ) : (
          <span className="card-artifact" data-testid="card-artifact">
            {label}
          </span>
        ))}
      {branchState && (
        <span
          className={`card-branch card-branch-${branchState.state}`}
          data-testid="card-branch"
          title={branchState.refusal ? `Merge refused: ${branchState.refusal}` : undefined}
        >
          {branchWords(branchState)}
        </span>
      )}
    </div>
  )
}
