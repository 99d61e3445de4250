// Test fixtures for the shared domain types, used by tests in every room (engine, renderer).
import { toCard, type Spec, type SpecCard, type SpecId } from './domain'

/** Spec number `n` with plausible defaults; `fields` override any of them. */
export function makeSpec(n: number, fields: Partial<Spec> = {}): Spec {
  return {
    id: `s_${n}` as SpecId,
    title: `Spec ${n}`,
    body: '',
    blueprint: null,
    stage: 'idea',
    status: 'new',
    agent: null,
    source: 'manual',
    tags: [],
    priority: 0,
    createdAt: n,
    updatedAt: n,
    ...fields,
  }
}

export function makeCard(n: number, fields: Partial<SpecCard> = {}): SpecCard {
  return toCard(makeSpec(n, fields))
}
