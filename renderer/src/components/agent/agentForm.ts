// The agent dialog's fields as the text a person types, and the way back and forth between them
// and the engine's input: commands as shell-like lines, timeouts as "2h", quota windows as rows.
import type { Input } from '../../../../shared/api'
import { joinArgv, splitArgv } from '../../../../shared/argv'
import type { Agent, RunnerPreset } from '../../../../shared/domain'
import { formatDuration, parseDuration } from '../../../../shared/format'
import type { QuotaUnit, QuotaWindow } from '../../../../shared/quotas'
import { parseLimit } from './quotaLimit'

export interface QuotaRow {
  window: string
  unit: QuotaUnit
  limit: string
}

export interface AgentForm {
  name: string
  runner: RunnerPreset
  command: string
  workspace: string
  bin: string
  timeout: string
  setup: string
  maxConcurrent: string
  enabled: boolean
  plan: string
  quotas: QuotaRow[]
  queue: string
  claudeLogs: boolean
  claudeLogsDir: string
  usageReport: boolean
  usageReportUrl: string
  credentialsFile: string
  mergeWhenShipped: boolean
}

/** 12_500_000 micro-dollars → "12.5", exactly (no float arithmetic on the stored integer). */
function microsToDollars(micros: number): string {
  const fraction = String(micros % 1_000_000)
    .padStart(6, '0')
    .replace(/0+$/, '')
  return `${Math.floor(micros / 1_000_000)}${fraction ? `.${fraction}` : ''}`
}

function toRow(window: QuotaWindow): QuotaRow {
  const limit = window.unit === 'usd' ? microsToDollars(window.limit) : String(window.limit)
  return { window: window.window, unit: window.unit, limit }
}

export function formFor(agent: Agent | null): AgentForm {
  return {
    name: agent?.name ?? '',
    runner: agent?.runner ?? 'claude',
    command: agent?.command ? joinArgv(agent.command) : '',
    workspace: agent?.workspace ?? '',
    bin: agent?.bin ?? '',
    timeout: agent?.timeoutMs ? formatDuration(agent.timeoutMs) : '',
    setup: agent?.setup ? joinArgv(agent.setup) : '',
    maxConcurrent: String(agent?.maxConcurrent ?? 1),
    enabled: agent?.enabled ?? true,
    plan: agent?.plan ?? '',
    quotas: agent?.quotas.map(toRow) ?? [],
    queue: agent?.queue ?? '',
    claudeLogs: agent?.usageSources.claudeLogs?.enabled ?? false,
    claudeLogsDir: agent?.usageSources.claudeLogs?.dir ?? '',
    usageReport: agent?.usageSources.usageReport?.enabled ?? false,
    usageReportUrl: agent?.usageSources.usageReport?.baseUrl ?? '',
    credentialsFile: agent?.usageSources.usageReport?.credentialsFile ?? '',
    mergeWhenShipped: agent?.mergeWhenShipped ?? false,
  }
}

const orNull = (text: string): string | null => (text.trim() === '' ? null : text.trim())

/** The settings both add and edit take; a problem a person can fix is thrown as its message. */
export function settingsFrom(form: AgentForm) {
  const argv = (label: string, text: string): string[] | null => {
    if (text.trim() === '') return null
    try {
      return splitArgv(text)
    } catch (error) {
      throw new Error(`${label}: ${(error as Error).message}`)
    }
  }
  const timeoutMs = form.timeout.trim() === '' ? null : parseDuration(form.timeout)
  if (timeoutMs === undefined) {
    throw new Error(`Timeout: use a duration like 90s, 30m, 2h or 1h30m, not "${form.timeout}"`)
  }
  const maxConcurrent = Number(form.maxConcurrent)
  if (!/^\d+$/.test(form.maxConcurrent.trim())) {
    throw new Error(`Runs at once: a whole number, not "${form.maxConcurrent}"`)
  }
  return {
    command: argv('Command', form.command),
    workspace: orNull(form.workspace),
    bin: orNull(form.bin),
    timeoutMs,
    setup: argv('Setup', form.setup),
    maxConcurrent,
    enabled: form.enabled,
    plan: orNull(form.plan),
    quotas: form.quotas.map((row, index) => {
      const limit = parseLimit(row.unit, row.limit)
      if (!limit.ok) throw new Error(`Window ${index + 1} limit: ${limit.problem}`)
      return `${row.window.trim()}:${row.unit}:${limit.value}`
    }),
    queue: orNull(form.queue),
    usageSources: {
      claudeLogs: { enabled: form.claudeLogs, dir: orNull(form.claudeLogsDir) },
      usageReport: {
        enabled: form.usageReport,
        baseUrl: orNull(form.usageReportUrl),
        credentialsFile: orNull(form.credentialsFile),
      },
    },
    mergeWhenShipped: form.mergeWhenShipped,
  }
}

/** What is wrong with each window's limit as typed (null: nothing), for the row that has it. */
export function limitProblems(rows: QuotaRow[]): (string | null)[] {
  return rows.map((row) => {
    const limit = parseLimit(row.unit, row.limit)
    return limit.ok ? null : limit.problem
  })
}

export function addInput(form: AgentForm): Input<'agent/add'> {
  return { name: form.name.trim(), runner: form.runner, ...settingsFrom(form) }
}

export function editInput(form: AgentForm): Input<'agent/edit'> {
  return { name: form.name, ...settingsFrom(form) }
}

/** The engine's names for the fields, as the dialog labels them. */
const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  runner: 'Runner',
  command: 'Command',
  workspace: 'Workspace',
  bin: 'CLI path',
  timeoutMs: 'Timeout',
  setup: 'Setup',
  maxConcurrent: 'Runs at once',
  enabled: 'Enabled',
  plan: 'Plan',
  quotas: 'Quota windows',
  queue: 'Queue folder',
  'usageSources.claudeLogs.dir': 'Claude projects folder',
  'usageSources.usageReport.baseUrl': 'Base URL',
  'usageSources.usageReport.credentialsFile': 'Credentials file',
  mergeWhenShipped: 'Merge when shipped',
}

/**
 * "maxConcurrent: at least 1 run at once; quotas.1: …" → "Runs at once: at least 1 run at once;
 * Window 2: …": a problem named by the labels the person sees, not the engine's field names.
 */
export function problemInWords(problem: string): string {
  return problem
    .replace(/^agent\/(?:add|edit): /, '')
    .split('; ')
    .map((part) =>
      part.replace(/^([\w.]+): /, (whole, path: string) => {
        const window = /^quotas\.(\d+)$/.exec(path)
        if (window) return `Window ${Number(window[1]) + 1}: `
        const label = FIELD_LABELS[path]
        return label ? `${label}: ` : whole
      }),
    )
    .join('; ')
}
