// Adding or editing a lane in the app: what runs (runner, command, workspace), how much at once,
// its subscription (plan and quota windows), where its usage is also read from, and its hold.
// Checked with the engine's own schema before it is sent; the engine's answer is shown in place.
import { useState, type ReactNode } from 'react'
import { checkInput } from '../../../../shared/api'
import { RUNNER_PRESETS, type Agent } from '../../../../shared/domain'
import { toFactoryError } from '../../../../shared/errors'
import { client } from '../../client'
import { useBoard } from '../../stores/board'
import { useCapacity } from '../../stores/capacity'
import { useUi } from '../../stores/ui'
import { DiscardChangesDialog } from '../DiscardChangesDialog'
import { Field } from '../Field'
import { InlineError } from '../InlineError'
import { Modal } from '../Modal'
import { useUnsavedEdits } from '../useUnsavedEdits'
import {
  addInput,
  editInput,
  formFor,
  limitProblems,
  problemInWords,
  type AgentForm,
} from './agentForm'
import { HoldRow } from './HoldRow'
import { QuotaRows } from './QuotaRows'
import { RemoveLaneDialog } from './RemoveLaneDialog'
import { SyncButton } from './SyncButton'
import './agent.css'

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="agent-section">
      <h3 className="agent-section-title">{title}</h3>
      {children}
    </section>
  )
}

export function AgentDialog({ name }: { name: string | null }) {
  const agent = useBoard((s) => (name ? s.agents.find((a) => a.name === name) : undefined))
  const close = useUi((s) => s.closeDialog)
  const [form, setForm] = useState<AgentForm>(() => formFor(agent ?? null))
  const [initial] = useState(form)
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const editing = name !== null
  const set = (patch: Partial<AgentForm>) => {
    setForm((f) => ({ ...f, ...patch }))
    setError(null)
    if (patch.quotas) setLimitErrors([])
  }

  // Typed edits: Esc, Cancel, × or a click outside ask before they go (as the spec forms do).
  const [confirming, setConfirming] = useState(false)
  const dirty = JSON.stringify(form) !== JSON.stringify(initial) && !saving
  useUnsavedEdits(dirty)
  const requestClose = () => (dirty ? setConfirming(true) : close())

  // "Remove lane…": a confirmation that says what happens to its specs and runs.
  const [removing, setRemoving] = useState(false)

  // Quota limits: what is wrong with each is said beside its row, found before anything is sent.
  const [limitErrors, setLimitErrors] = useState<(string | null)[]>([])
  const limitsReadable = () => {
    const problems = limitProblems(form.quotas)
    setLimitErrors(problems)
    return problems.every((problem) => problem === null)
  }

  const submit = async () => {
    if (saving || !limitsReadable()) return
    try {
      const saved = editing
        ? await send('agent/edit', editInput(form))
        : await send('agent/add', addInput(form))
      close()
      useUi.getState().showToast({
        tone: 'info',
        message: editing ? `Saved ${saved.name}` : `Added the ${saved.name} lane`,
      })
    } catch (e) {
      setError(problemInWords(toFactoryError(e).message))
      setSaving(false)
    }
  }
  async function send<Op extends 'agent/add' | 'agent/edit'>(
    op: Op,
    input: unknown,
  ): Promise<Agent> {
    const checked = checkInput(op, input)
    if (!checked.ok) throw new Error(checked.problem)
    setSaving(true)
    const saved = (await client().call(op, input as never)) as Agent
    void useBoard.getState().load()
    void useCapacity.getState().load()
    return saved
  }

  if (editing && !agent) {
    return (
      <Modal title="Agent" onClose={close} testId="agent-dialog">
        <p>That lane was removed.</p>
      </Modal>
    )
  }
  const text = (
    label: string,
    key: keyof AgentForm,
    props: { hint?: string; placeholder?: string; maxLength?: number } = {},
  ) => (
    <Field label={label} {...(props.hint ? { hint: props.hint } : {})}>
      {(id) => (
        <input
          id={id}
          className="input"
          value={form[key] as string}
          placeholder={props.placeholder}
          maxLength={props.maxLength}
          autoComplete="off"
          onChange={(e) => set({ [key]: e.target.value })}
        />
      )}
    </Field>
  )

  return (
    <Modal
      title={editing ? `Lane: ${name}` : 'Add a lane'}
      onClose={requestClose}
      testId="agent-dialog"
      wide
    >
      <form
        className="form agent-form"
        onSubmit={(e) => {
          e.preventDefault()
          void submit()
        }}
      >
        <Section title="Lane">
          <div className="field-row">
            {editing ? null : (
              <Field label="Name" className="field-grow">
                {(id) => (
                  <input
                    id={id}
                    className="input"
                    value={form.name}
                    placeholder="bob"
                    maxLength={32}
                    data-autofocus
                    autoComplete="off"
                    onChange={(e) => set({ name: e.target.value })}
                  />
                )}
              </Field>
            )}
            <Field
              label="Runner"
              className="field-grow"
              {...(editing ? { hint: 'set when the lane was added' } : {})}
            >
              {(id) => (
                <select
                  id={id}
                  className="select"
                  value={form.runner}
                  disabled={editing}
                  onChange={(e) => set({ runner: e.target.value as AgentForm['runner'] })}
                >
                  {RUNNER_PRESETS.map((runner) => (
                    <option key={runner} value={runner}>
                      {runner}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label="Runs at once" className="field-narrow">
              {(id) => (
                <input
                  id={id}
                  className="input"
                  inputMode="numeric"
                  value={form.maxConcurrent}
                  {...(editing ? { 'data-autofocus': true } : {})}
                  onChange={(e) => set({ maxConcurrent: e.target.value })}
                />
              )}
            </Field>
          </div>
          <div className="field-row">
            <div className="field-grow">
              {text('Plan', 'plan', {
                hint: 'optional',
                placeholder: 'Claude Max 20x',
                maxLength: 80,
              })}
            </div>
            <label className="checkbox-field">
              <input
                type="checkbox"
                checked={form.enabled}
                onChange={(e) => set({ enabled: e.target.checked })}
              />
              Enabled
            </label>
          </div>
          {agent && <HoldRow agent={agent} onError={setError} />}
        </Section>
        <Section title="Subscription">
          <QuotaRows
            rows={form.quotas}
            onChange={(quotas) => set({ quotas })}
            problems={limitErrors}
          />
        </Section>
        <Section title="How it runs">
          {form.runner === 'command' &&
            text('Command', 'command', {
              placeholder: 'my-agent --spec {specFile} --out {outputDir}',
            })}
          <div className="field-row">
            <div className="field-grow">
              {text('Workspace', 'workspace', {
                hint: 'an absolute path to a folder; in a git repository each run works on its own branch and copy',
                placeholder: '/home/me/product',
              })}
            </div>
          </div>
          <label className="checkbox-field">
            <input
              type="checkbox"
              checked={form.mergeWhenShipped}
              data-testid="merge-when-shipped"
              onChange={(e) => set({ mergeWhenShipped: e.target.checked })}
            />
            Merge when shipped: a shipped run’s branch goes into its base by itself (a conflict is
            left for you to merge)
          </label>
          <div className="field-row">
            <div className="field-grow">
              {text('CLI path', 'bin', { hint: 'an absolute path, when it is not on PATH' })}
            </div>
            <div className="field-narrow">{text('Timeout', 'timeout', { placeholder: '2h' })}</div>
          </div>
          {text('Setup', 'setup', {
            hint: 'run in each run’s fresh copy before the agent starts',
            placeholder: 'npm ci',
          })}
          {text('Queue folder', 'queue', {
            hint: 'an agent on another machine: its runs are written here and its own loop picks them up',
          })}
        </Section>
        <Section title="Usage also read from">
          <label className="checkbox-field">
            <input
              type="checkbox"
              checked={form.claudeLogs}
              onChange={(e) => set({ claudeLogs: e.target.checked })}
            />
            Claude Code’s session logs, so work done outside the factory counts
          </label>
          {form.claudeLogs &&
            text('Claude projects folder', 'claudeLogsDir', {
              hint: 'an absolute path; empty: ~/.claude/projects',
            })}
          <label className="checkbox-field">
            <input
              type="checkbox"
              checked={form.usageReport}
              onChange={(e) => set({ usageReport: e.target.checked })}
            />
            The subscription’s usage report (read-only; the token stays in its file)
          </label>
          {editing &&
            (agent?.usageSources.claudeLogs?.enabled ||
              agent?.usageSources.usageReport?.enabled) && <SyncButton agent={agent.name} />}
          {form.usageReport && (
            <div className="field-row">
              <div className="field-grow">
                {text('Base URL', 'usageReportUrl', { placeholder: 'https://api.anthropic.com' })}
              </div>
              <div className="field-grow">
                {text('Credentials file', 'credentialsFile', {
                  hint: 'absolute; empty: ~/.claude/.credentials.json',
                })}
              </div>
            </div>
          )}
        </Section>
        <InlineError message={error} testId="agent-error" />
        <div className="form-actions">
          {editing && (
            <button
              type="button"
              className="button button-danger-text agent-remove"
              onClick={() => setRemoving(true)}
            >
              Remove lane…
            </button>
          )}
          <button type="button" className="button button-secondary" onClick={requestClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={saving}
            data-testid="agent-save"
          >
            {saving ? 'Saving…' : editing ? 'Save' : 'Add lane'}
          </button>
        </div>
      </form>
      {confirming && <DiscardChangesDialog onKeep={() => setConfirming(false)} onDiscard={close} />}
      {removing && name && <RemoveLaneDialog lane={name} onKeep={() => setRemoving(false)} />}
    </Modal>
  )
}
