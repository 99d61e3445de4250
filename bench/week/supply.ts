// The week's spec supply, the same for every dispatcher: bursts at seeded times (a morning's
// planning, an evening's ideas), each a handful of specs of seeded size, some waiting on a spec of
// the same or an earlier burst. Deterministic: one seed, one week.
import { seededRandom } from '../../shared/seededRandom'
export interface SuppliedSpec {
  title: string
  /** Minute of the week it is queued. */
  at: number
  /** Tokens a run needs to finish it (a run that hits a limit loses what it did). */
  tokens: number
  minutes: number
  /** Indexes into the supply of specs it waits for. */
  dependsOn: number[]
}

export const WEEK_MINUTES = 7 * 24 * 60

export function weekSupply(seed: number): SuppliedSpec[] {
  const next = seededRandom(seed)
  const between = (low: number, high: number) => Math.round(low + next() * (high - low))
  const specs: SuppliedSpec[] = []
  // Two bursts a day, give or take, at uneven hours; quiet stretches between them.
  for (let day = 0; day < 7; day++) {
    for (const hour of [between(7, 11), between(17, 22)]) {
      if (next() < 0.15) continue // a day without its evening (or morning) burst
      const start = day * 1440 + hour * 60
      const size = between(3, 14)
      const first = specs.length
      for (let i = 0; i < size; i++) {
        const dependsOn: number[] = []
        // About one in four waits on something: mostly its own burst (a chain), else earlier.
        if (specs.length > 0 && next() < 0.25) {
          const low = i > 0 && next() < 0.7 ? first : Math.max(0, first - 20)
          dependsOn.push(between(low, specs.length - 1))
        }
        specs.push({
          title: `Week spec ${specs.length + 1}`,
          at: start + i, // one a minute, so what a spec waits for already exists
          tokens: between(100, 400) * 1000,
          minutes: between(20, 90),
          dependsOn,
        })
      }
    }
  }
  return specs // in time order: the days, and each day's bursts, come in order
}
