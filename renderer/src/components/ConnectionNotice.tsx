// A calm strip under the header while pushes are not reaching the board: that it is reconnecting
// and when it tries next, or, when the server no longer lets this tab in, how to get in again.
import { useEffect, useState } from 'react'
import { useConnection } from '../stores/connection'
import { formatClockTime } from '../time'
import './connection.css'

/** Tries before the notice adds what to do if the factory is not coming back on its own. */
const TRIES_BEFORE_ADVICE = 3

/** Seconds until `at`, re-rendered each second while there is one. */
function useSecondsUntil(at: number | null): number | null {
  const [now, setNow] = useState(Date.now)
  useEffect(() => {
    if (at === null) return
    setNow(Date.now())
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [at])
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000))
}

export function ConnectionNotice() {
  const state = useConnection((s) => s.state)
  const nextTryAt = useConnection((s) => s.nextTryAt)
  const failedTries = useConnection((s) => s.failedTries)
  const refusal = useConnection((s) => s.refusal)
  const retryNow = useConnection((s) => s.retryNow)
  const seconds = useSecondsUntil(state === 'reconnecting' ? nextTryAt : null)
  if (state !== 'reconnecting') return null

  const when =
    nextTryAt === null || seconds === 0
      ? 'Trying now…'
      : `Next try at ${formatClockTime(nextTryAt, { seconds: true })} (in ${seconds} s).`
  const tryNow = (
    <button
      type="button"
      className="button button-secondary button-small"
      onClick={retryNow}
      disabled={nextTryAt === null}
    >
      {refusal ? 'Try again' : 'Try now'}
    </button>
  )

  if (refusal) {
    return (
      <div
        className="connection-notice connection-notice-refused"
        role="alert"
        data-testid="connection-notice"
      >
        <div className="connection-notice-text">
          <strong>
            {refusal === 'key-changed'
              ? 'The factory started again with a new key, so this tab can no longer get in.'
              : 'The factory no longer answers this tab at this address.'}
          </strong>{' '}
          Open the address the factory printed when it started; it lets this browser in again.
          Everything saved before is kept. <span className="connection-notice-when">{when}</span>
        </div>
        {tryNow}
      </div>
    )
  }

  return (
    <div className="connection-notice" role="status" data-testid="connection-notice">
      <span className="connection-notice-dot" aria-hidden="true" />
      <div className="connection-notice-text">
        <strong>Reconnecting to the factory…</strong>{' '}
        <span className="connection-notice-when">{when}</span>
        {failedTries >= TRIES_BEFORE_ADVICE && (
          <>
            {' '}
            If it was stopped, start it again and this tab picks up by itself; if it started on
            another address, open the address it printed.
          </>
        )}
      </div>
      {tryNow}
    </div>
  )
}
