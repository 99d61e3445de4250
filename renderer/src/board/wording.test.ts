import { describe, expect, it } from 'vitest'
import { withoutCliHints } from './wording'

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
})
