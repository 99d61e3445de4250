import { describe, expect, it } from 'vitest'
import { joinArgv, splitArgv } from './argv'

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

describe('joinArgv', () => {
  it('writes an argv that splits back to the same words, spaces and quotes included', () => {
    const argv = ['node', '/tmp/my agent/run.mjs', "it's", '{specFile}', '', '$(touch x)', 'a"b']
    const line = joinArgv(argv)
    expect(line).toBe(`node '/tmp/my agent/run.mjs' 'it'\\''s' {specFile} '' '$(touch x)' 'a"b'`)
    expect(splitArgv(line)).toEqual(argv)
  })
})
