// What one transcript row says: its label (who or what), its text, its tone, and whether the text
// is the assistant's markdown. Pure, so the words are tested apart from the virtualized list.
import type { TranscriptEntry } from '../../../../shared/runs'

export interface RowSummary {
  label: string
  text: string
  tone?: string
  /** The agent's prose: rendered as markdown when opened, its markup left out of the one-liner. */
  markdown?: boolean
}

export function summary(entry: TranscriptEntry): RowSummary {
  switch (entry.kind) {
    case 'text':
      return { label: 'Assistant', text: entry.text, markdown: true }
    case 'thinking':
      return { label: 'Thinking', text: entry.text, tone: 'faint', markdown: true }
    case 'tool_call':
      return { label: entry.name, text: entry.input, tone: 'tool' }
    case 'tool_result':
      return { label: 'Result', text: entry.output, tone: entry.isError ? 'error' : 'result' }
    case 'result':
      return entry.isError
        ? { label: 'Failed', text: entry.text, tone: 'error' }
        : { label: 'Final answer', text: entry.text, tone: 'final', markdown: true }
    case 'stage':
      return {
        label: entry.stage,
        text: `${entry.status}${entry.message ? ` — ${entry.message}` : ''}`,
        tone: 'stage',
      }
    case 'system':
      // The agent CLI's own lines (its start, its limits) are its, not the factory's.
      return entry.agent
        ? { label: entry.agent, text: entry.text, tone: 'agent' }
        : { label: 'Factory', text: entry.text, tone: 'faint' }
    case 'raw':
      // What the program printed: plain output needs no label, its errors do.
      return entry.stream === 'stderr'
        ? { label: 'Errors', text: entry.text, tone: 'stderr' }
        : { label: '', text: entry.text, tone: 'raw' }
  }
}

/** The first line, clipped, as the collapsed row shows it. */
export function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? ''
  return line.length > 400 ? `${line.slice(0, 400)}…` : line
}

/**
 * A line of markdown as plain words for the one-line view: "## **Done**: see [the PR](…)" reads
 * "Done: see the PR". Only markup that is plainly markup goes (snake_case and 2*3 stay).
 */
export function plainMarkdownLine(line: string): string {
  const fence = /^\s*```\s*(\S*)/.exec(line)
  if (fence) return fence[1] ? `Code (${fence[1]})` : 'Code'
  return line
    .replace(/^\s{0,3}#{1,6}\s+/, '')
    .replace(/^\s{0,3}>\s?/, '')
    .replace(/^(\s*)[-*+]\s+\[( |x)\]\s+/i, (_, pad: string, done: string) =>
      done === ' ' ? `${pad}☐ ` : `${pad}☑ `,
    )
    .replace(/^(\s*)[-*+]\s+/, '$1• ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(^|[\s(])\*(?=\S)([^*]+?)(?<=\S)\*(?=$|[\s).,:;!?])/g, '$1$2')
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '$1')
    .replace(/`([^`]+)`/g, '$1')
}
