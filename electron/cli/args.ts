// Reading a command's flags and words: the small helpers every command table shares.
import type { CommandContext, Values } from './commands'

export const str = (v: Values[string]): string | undefined =>
  typeof v === 'string' ? v : undefined

export const list = (v: Values[string]): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined

export function intOption(context: CommandContext, name: string): number | undefined {
  const raw = str(context.values[name])
  if (raw === undefined) return undefined
  if (!/^-?\d+$/.test(raw)) context.usage(`--${name} takes a whole number, not "${raw}"`)
  return Number(raw)
}

/** The one positional argument a command takes (SPEC, RUN, NAME). */
export function one(context: CommandContext, what: string): string {
  const [value, ...rest] = context.positionals
  if (!value) context.usage(`missing ${what}`)
  if (rest.length) context.usage(`unexpected argument "${rest[0]}"`)
  return value
}

/** A command that takes no positional argument refuses one. */
export function none(context: CommandContext): void {
  if (context.positionals.length) context.usage(`unexpected argument "${context.positionals[0]}"`)
}
