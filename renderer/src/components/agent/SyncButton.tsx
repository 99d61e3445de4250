// "Read usage now" in the lane editor: reads the lane's saved usage sources and says what came in.
import { useState } from 'react'
import { toFactoryError } from '../../../../shared/errors'
import { client } from '../../client'
import { useCapacity } from '../../stores/capacity'

/** Reads the lane's saved usage sources now and says what came in (or why nothing could). */
export function SyncButton({ agent }: { agent: string }) {
  const [result, setResult] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const sync = async () => {
    setBusy(true)
    try {
      const results = await client().call('usage/sync', { agent })
      setResult(
        results
          .map((r) =>
            r.error
              ? `${r.source}: ${r.error}`
              : r.source === 'claude-logs'
                ? `Claude logs: ${r.rows} new, ${r.updated} updated from ${r.files} file${r.files === 1 ? '' : 's'}`
                : `Usage report: ${r.windows.map((w) => `${w.window} ${Math.round(w.utilization * 100)}%`).join(', ') || 'no windows'}`,
          )
          .join(' · ') || 'No usage source is switched on.',
      )
      void useCapacity.getState().load()
    } catch (e) {
      setResult(toFactoryError(e).message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <div className="sync-row">
      <button
        type="button"
        className="button button-secondary button-small"
        disabled={busy}
        onClick={() => void sync()}
      >
        {busy ? 'Reading…' : 'Read usage now'}
      </button>
      {result && (
        <span className="sync-result" role="status" data-testid="sync-result">
          {result}
        </span>
      )}
    </div>
  )
}
