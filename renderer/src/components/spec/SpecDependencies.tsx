// The drawer's dependencies, set and removed in place: what this spec waits for (each with its
// state and a remove control, and "Add a dependency"), and what waits for it. A change is saved at
// once; the engine's refusal (a loop, a spec gone) is shown here, in titles.
import { useState } from 'react'
import type { Spec, SpecId } from '../../../../shared/domain'
import { toFactoryError } from '../../../../shared/errors'
import { client } from '../../client'
import { useBoard } from '../../stores/board'
import { DependencyPicker } from './DependencyPicker'
import { DependencyRows } from './DependencyRows'
import { refusalInWords } from './dependencies'

export function SpecDependencies({
  spec,
  onChange,
}: {
  spec: Spec
  onChange: (updated: Spec) => void
}) {
  const [refusal, setRefusal] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)

  const save = async (dependsOn: SpecId[]) => {
    setSaving(true)
    setRefusal(null)
    try {
      onChange(await client().call('spec/edit', { id: spec.id, dependsOn }))
    } catch (e) {
      const titleOf = (id: SpecId) =>
        id === spec.id ? spec.title : useBoard.getState().specs.find((s) => s.id === id)?.title
      setRefusal(refusalInWords(toFactoryError(e).message, titleOf))
    } finally {
      setSaving(false)
    }
  }

  return (
    <>
      <dt>Depends on</dt>
      <dd className="facts-stack">
        {spec.dependsOn.length === 0 && (
          <span className="muted">Nothing; it can start any time</span>
        )}
        <DependencyRows
          ids={spec.dependsOn}
          shipped={(id) => !spec.waitingOn.includes(id)}
          onRemove={(id) => void save(spec.dependsOn.filter((other) => other !== id))}
          openable
          testId="spec-dependencies"
        />
        <DependencyPicker
          exclude={new Set([spec.id, ...spec.dependsOn])}
          onPick={(id) => void save([...spec.dependsOn, id])}
          disabled={saving}
        />
        {refusal && (
          <p className="field-problem" role="alert" data-testid="dependency-refusal">
            {refusal}
          </p>
        )}
      </dd>
      {spec.dependents.length > 0 && (
        <>
          <dt>Needed by</dt>
          <dd className="facts-stack">
            <DependencyRows
              ids={spec.dependents}
              // Whether each one has shipped itself, as its card says.
              shipped={() => false}
              openable
              testId="spec-dependents"
            />
          </dd>
        </>
      )}
    </>
  )
}
