// Chooses between the first load's spinner, its error with Retry, and the board itself.
import { useBoard } from '../stores/board'
import { Board } from './Board'

export function BoardView() {
  const status = useBoard((s) => s.status)
  const error = useBoard((s) => s.error)
  const load = useBoard((s) => s.load)
  if (status === 'loading') {
    return (
      <div className="board-status" role="status">
        <span className="spinner" aria-hidden="true" />
        Loading board…
      </div>
    )
  }
  if (status === 'error') {
    return (
      <div className="board-status">
        <div className="panel panel-error" role="alert">
          <h2 className="panel-title">Couldn’t load the board</h2>
          <p className="panel-text">{error}</p>
          <button type="button" className="button button-primary" onClick={() => void load()}>
            Retry
          </button>
        </div>
      </div>
    )
  }
  return <Board />
}
