import { describe, expect, it } from 'vitest'
import type { AgentUsage } from '../../../shared/quotas'
import {
  exitWords,
  holdReasonWords,
  laneRefusal,
  placementWords,
  refusalWords,
  runnerWords,
  withoutCliHints,
} from './wording'
import { makeUsage } from '../../../shared/testing'

describe('engine messages in the app', () => {
  it('leave out the CLI commands a terminal user would type, and keep the rest', () => {
    expect(withoutCliHints('bob is disabled (factory agent set bob --enabled yes)')).toBe(
      'bob is disabled',
    )
    expect(
      withoutCliHints(
        's_2 waits for s_1 to ship; queue it instead (factory spec queue s_2 --agent bob) and it starts by itself',
      ),
    ).toBe('s_2 waits for s_1 to ship; queue it instead and it starts by itself')
    expect(withoutCliHints('bob is paused until 14:05 (rate_limited: 429)')).toBe(
      'bob is paused until 14:05 (rate_limited: 429)',
    )
  })

  it('leave out every form of CLI fix the engine writes (each from its own refusal)', () => {
    const cases: [string, string][] = [
      ['no agent named "x" (see: factory agent list)', 'no agent named "x"'],
      ['no run with id "r_9" (see: factory runs)', 'no run with id "r_9"'],
      [
        's_1 stays put while its run r_2 is at work; it moves on by itself when the run ends (or cancel it: factory run cancel r_2)',
        's_1 stays put while its run r_2 is at work; it moves on by itself when the run ends',
      ],
      [
        'claude CLI not found in /usr/bin; fix it: factory agent set bob --bin /path/to/claude',
        'claude CLI not found in /usr/bin',
      ],
      [
        'the --bin path /nowhere/codex does not exist; fix it: factory agent set gordon --bin /path/to/codex',
        'the CLI path /nowhere/codex in the lane’s settings does not exist',
      ],
      [
        'Install it, or set its full path: factory agent set bob --bin /path/to/claude',
        'Install it, or set its full path in the lane’s settings',
      ],
      [
        'bob has no queue; give it one: factory agent set bob --queue DIR',
        'bob has no queue; give it one in the lane’s settings',
      ],
      [
        'agent bob runs a command but has none; set it: factory agent add bob --runner command --command "ARGV with {specFile}"',
        'agent bob runs a command but has none; set it in the lane’s settings',
      ],
      [
        'the factory is running 4 runs, its global limit (factory settings --max-runs N)',
        'the factory is running 4 runs, its global limit',
      ],
      [
        'gordon has 1 run at work ("Audit"): let it finish or cancel it first (factory run cancel r_3)',
        'gordon has 1 run at work ("Audit"): let it finish or cancel it first',
      ],
    ]
    for (const [engine, app] of cases) expect(withoutCliHints(engine)).toBe(app)
    for (const [, app] of cases) expect(app).not.toMatch(/factory (agent|run|runs|settings|spec)\b/)
  })
})

const lane = (fields: Partial<AgentUsage> = {}): AgentUsage => makeUsage('gordon', fields)

describe('a lane that cannot start a run, in words', () => {
  const at = new Date(2026, 11, 3, 18, 53).getTime()
  const sameDay = new Date(2026, 11, 3, 9, 0).getTime()

  it('says nothing of a lane with room', () => {
    expect(laneRefusal(lane())).toBeNull()
  })

  it('names the hold, until when, and why, without a failure class', () => {
    expect(
      laneRefusal(
        lane({ pausedUntil: at, pauseReason: 'quota_exhausted: Claude AI usage limit reached|17' }),
        sameDay,
      ),
    ).toBe('Paused until 18:53 · usage limit')
    expect(laneRefusal(lane({ pausedIndefinitely: true, pauseReason: 'holiday' }))).toBe(
      'Paused · holiday',
    )
    expect(laneRefusal(lane({ enabled: false }))).toBe('Disabled')
  })

  it('carries the day when the hold ends on another day', () => {
    const paused = lane({ pausedUntil: at, pauseReason: 'rate_limited: 429' })
    const dayBefore = new Date(2026, 11, 2, 23, 10).getTime()
    expect(laneRefusal(paused, dayBefore)).toBe('Paused until tomorrow 18:53 · rate limit')
    const monday = new Date(2026, 10, 30, 12, 0).getTime()
    expect(laneRefusal(paused, monday)).toBe('Paused until Thu 18:53 · rate limit')
  })

  it('says a full lane is full, and which window', () => {
    const window = {
      window: '5h',
      durationMs: 5 * 3_600_000,
      unit: 'runs' as const,
      limit: 4,
      used: 4,
      utilization: 1,
      freesAt: at,
    }
    expect(laneRefusal(lane({ windows: [window] }), sameDay)).toBe(
      'Full until 18:53 · 5h runs used up',
    )
    expect(laneRefusal(lane({ running: 1 }))).toBe('At its limit · 1/1 running')
  })

  it('reads a hold the breaker wrote as its count, and a person’s reason as they wrote it', () => {
    expect(holdReasonWords('3 runs in a row failed (last: crashed: boom) — check the lane')).toBe(
      '3 runs in a row failed',
    )
    expect(holdReasonWords('auth_expired: 401 — log in again, then resume the lane')).toBe(
      'login expired',
    )
    expect(holdReasonWords('back on monday')).toBe('back on monday')
    expect(holdReasonWords(null)).toBeNull()
  })
})

describe('a refusal in the drawer', () => {
  const titles = new Map([
    ['s_2', 'Signup form'],
    ['s_1', 'Billing API'],
  ])
  const titleOf = (id: string) => titles.get(id)

  it('names specs by their titles and leaves out run ids and the CLI’s fix', () => {
    expect(
      refusalWords(
        's_2 waits for s_1 to ship; queue it instead (factory spec queue s_2 --agent bob) and it starts by itself',
        titleOf,
      ),
    ).toBe(
      '“Signup form” waits for “Billing API” to ship; queue it instead and it starts by itself',
    )
    expect(
      refusalWords(
        's_2 is already running as r_7; cancel it first (factory run cancel r_7)',
        titleOf,
      ),
    ).toBe('“Signup form” is already running; cancel it first')
    expect(refusalWords('s_9 waits for s_1 to ship', titleOf)).toBe(
      'another spec waits for “Billing API” to ship',
    )
  })
})

describe('placementWords', () => {
  it('says which lane the allocator chose and why, without the engine\'s "to"', () => {
    expect(
      placementWords('to bob: 6% of 5h runs used, 0/2 running · alice paused until 18:00'),
    ).toBe('The allocator chose bob: 6% of 5h runs used, 0/2 running · alice paused until 18:00')
    expect(placementWords(null)).toBeNull()
    expect(placementWords('gordon (factory agent set gordon --enabled yes)')).toBe(
      'The allocator chose: gordon',
    )
  })
})

describe('what runs a lane and how its process ended', () => {
  it('names the runner in words, the command preset as the user’s own command', () => {
    expect(runnerWords('claude')).toBe('Claude Code')
    expect(runnerWords('codex')).toBe('Codex')
    expect(runnerWords('command')).toBe('your command')
    expect(runnerWords('aider')).toBe('aider')
  })

  it('says finished or stopped, never "exit 0"', () => {
    expect(exitWords(0, null)).toBe('Finished')
    expect(exitWords(2, null)).toBe('Stopped with an error (code 2)')
    expect(exitWords(null, 'SIGTERM')).toBe('Stopped')
    expect(exitWords(null, null)).toBeNull()
  })
})
