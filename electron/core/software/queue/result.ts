// `<id>.result.json`, read by the dashboard from a folder another machine or account writes to:
// read with a bound (boundedFile.ts) and checked by the shared schema before anything in it is
// believed.
import { join } from 'node:path'
import { describeIssues } from '../../../../shared/api'
import { queueResultSchema, type ParsedQueueResult } from '../../../../shared/queue'
import { readBounded } from './boundedFile'
import { resultName, type ResultFolder } from './maildir'

const MAX_RESULT_FILE = 1024 * 1024

export type ResultReading = { ok: true; result: ParsedQueueResult } | { ok: false; problem: string }

/** Reads and checks `<folder>/<id>.result.json`, including that it speaks of this item. */
export function readResult(queue: string, folder: ResultFolder, id: string): ResultReading {
  const read = readBounded(join(queue, folder, resultName(id)), MAX_RESULT_FILE)
  if ('problem' in read) return { ok: false, problem: read.problem }
  let raw: unknown
  try {
    raw = JSON.parse(read.text)
  } catch (error) {
    return { ok: false, problem: `it is not JSON (${(error as Error).message})` }
  }
  const parsed = queueResultSchema.safeParse(raw)
  if (!parsed.success) return { ok: false, problem: describeIssues(parsed.error) }
  const result = parsed.data
  if (result.id !== id) return { ok: false, problem: `it is the result of ${result.id}, not ${id}` }
  const belongs: ResultFolder = result.outcome === 'failed' ? 'failed' : 'done'
  if (belongs !== folder) {
    return { ok: false, problem: `it says ${result.outcome} but lies in ${folder}/` }
  }
  return { ok: true, result }
}
