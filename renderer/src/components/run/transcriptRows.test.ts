import { describe, expect, it } from 'vitest'
import { plainMarkdownLine, summary } from './transcriptRows'

describe('who a transcript row says wrote it', () => {
  it('labels the agent CLI’s own start line as the agent’s, not the factory’s or the user’s', () => {
    const init = {
      kind: 'system' as const,
      agent: 'Claude Code',
      text: 'Claude Code started · model claude-sonnet-4-5, in /work/app · 4 tools',
    }
    expect(summary(init)).toMatchObject({ label: 'Claude Code', tone: 'agent' })
    expect(summary({ kind: 'system', text: 'could not start claude: ENOENT' })).toMatchObject({
      label: 'Factory',
    })
  })

  it('says output and errors, never stdout and stderr', () => {
    expect(summary({ kind: 'raw', stream: 'stdout', text: 'hello' }).label).toBe('')
    expect(summary({ kind: 'raw', stream: 'stderr', text: 'boom' }).label).toBe('Errors')
  })

  it('marks the assistant’s prose and final answer as markdown, and nothing else', () => {
    expect(summary({ kind: 'text', text: '**Done**' }).markdown).toBe(true)
    expect(summary({ kind: 'result', text: 'Shipped' })).toMatchObject({
      label: 'Final answer',
      markdown: true,
    })
    expect(summary({ kind: 'result', text: 'boom', isError: true }).markdown).toBeUndefined()
    expect(summary({ kind: 'tool_call', name: 'Bash', input: '**x**' }).markdown).toBeUndefined()
    expect(summary({ kind: 'tool_result', output: '# not a heading' }).markdown).toBeUndefined()
  })
})

describe('a markdown line in one line of words', () => {
  it('leaves out headings, emphasis, code ticks and link targets', () => {
    expect(plainMarkdownLine('## **Done**: see [the PR](https://example.com/1)')).toBe(
      'Done: see the PR',
    )
    expect(plainMarkdownLine('Run `npm test`, then *look*.')).toBe('Run npm test, then look.')
    expect(plainMarkdownLine('> quoted ~~old~~ text')).toBe('quoted old text')
    expect(plainMarkdownLine('- [x] build it')).toBe('☑ build it')
    expect(plainMarkdownLine('- a point')).toBe('• a point')
    expect(plainMarkdownLine('```ts')).toBe('Code (ts)')
  })

  it('keeps what only looks like markup', () => {
    expect(plainMarkdownLine('rename user_id to owner_id')).toBe('rename user_id to owner_id')
    expect(plainMarkdownLine('2*3*4 = 24')).toBe('2*3*4 = 24')
    expect(plainMarkdownLine('#hashtag stays')).toBe('#hashtag stays')
  })
})
