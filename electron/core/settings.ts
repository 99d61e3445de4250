// Factory-wide settings: whether the allocator dispatches by itself, and how many runs may work at
// once across every lane. Stored as JSON values; each change is an event with what it replaced.
import { eq } from 'drizzle-orm'
import type { ParsedInput } from '../../shared/api'
import { DEFAULT_SETTINGS, type FactorySettings } from '../../shared/domain'
import type { Ledger } from './db/ledger'
import { settings } from './db/schema'

export function readSettings(ledger: Ledger): FactorySettings {
  const stored: Partial<FactorySettings> = {}
  for (const row of ledger.db.select().from(settings).all()) {
    if (row.key in DEFAULT_SETTINGS) Object.assign(stored, { [row.key]: JSON.parse(row.value) })
  }
  return { ...DEFAULT_SETTINGS, ...stored }
}

export function changeSettings(
  ledger: Ledger,
  actor: string,
  input: ParsedInput<'settings/set'>,
): FactorySettings {
  return ledger.change(actor, (change) => {
    const before = readSettings(ledger)
    const changed: Partial<FactorySettings> = {}
    const previous: Partial<FactorySettings> = {}
    for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof FactorySettings)[]) {
      const value = input[key]
      if (value === undefined || value === before[key]) continue
      Object.assign(changed, { [key]: value })
      Object.assign(previous, { [key]: before[key] })
      const row = { key, value: JSON.stringify(value), updatedAt: change.now }
      ledger.db
        .insert(settings)
        .values(row)
        .onConflictDoUpdate({ target: settings.key, set: row })
        .run()
    }
    if (Object.keys(changed).length === 0) return before
    change.append({ type: 'settings.changed', subject: 'settings', payload: { changed, previous } })
    return readSettings(ledger)
  })
}

/** One setting, for hot paths that need only it. */
export function readSetting<K extends keyof FactorySettings>(
  ledger: Ledger,
  key: K,
): FactorySettings[K] {
  const row = ledger.db.select().from(settings).where(eq(settings.key, key)).get()
  return row ? (JSON.parse(row.value) as FactorySettings[K]) : DEFAULT_SETTINGS[key]
}
