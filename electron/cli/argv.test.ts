import { describe, expect, it } from 'vitest'
import { splitArgv } from './argv'

describe('splitArgv', () => {
  it('splits words like a shell, honouring quotes and backslashes', () => {
    expect(splitArgv(`my-agent --spec {specFile} -m "two words" 'it''s' a\\ b ""`)).toEqual([
      'my-agent',
      '--spec',
      '{specFile}',
      '-m',
      'two words',
      'its',
      'a b',
      '',
    ])
  })

  it('expands nothing: $(…), $VAR, globs and ; stay literal', () => {
    expect(splitArgv(`run "$(touch /tmp/pwned)" $HOME *.ts ';' "; rm -rf ~ #"`)).toEqual([
      'run',
      '$(touch /tmp/pwned)',
      '$HOME',
      '*.ts',
      ';',
      '; rm -rf ~ #',
    ])
  })

  it('refuses an unterminated quote', () => {
    expect(() => splitArgv(`claude -p "oops`)).toThrow(/unterminated " quote/)
  })
})
