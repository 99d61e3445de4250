// What the engine says about bad input, in the words of the command line: an operation's field
// names ("maxConcurrent", "quotas.1") become the flags a person typed ("--max-concurrent",
// "--quota"), so a refusal points at what to change.

/** Field paths whose flag is not simply the path in kebab case. */
const FLAGS: Record<string, string> = {
  timeoutMs: '--timeout',
  quotas: '--quota',
  tags: '--tag',
  dependsOn: '--depends-on',
  'usageSources.claudeLogs.dir': '--claude-logs',
  'usageSources.usageReport.baseUrl': '--usage-report-url',
  'usageSources.usageReport.credentialsFile': '--credentials',
  name: 'NAME',
  id: 'ID',
  spec: 'SPEC',
  run: 'RUN',
}

function flagFor(path: string): string {
  const field = path.replace(/\.\d+/g, '')
  return FLAGS[field] ?? `--${field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
}

/**
 * "agent/add: maxConcurrent: at least 1 run at once; quotas.0: …" →
 * "--max-concurrent: at least 1 run at once; --quota: …".
 */
export function problemAsFlags(problem: string): string {
  return problem
    .replace(/^[a-z]+\/[a-z-]+: /, '')
    .split('; ')
    .map((part) => part.replace(/^([A-Za-z][\w.]*): /, (_, path: string) => `${flagFor(path)}: `))
    .map(choicesInWords)
    .join('; ')
}

/** The validator's `Invalid option: expected one of "idea"|"software"` as a person says it. */
function choicesInWords(part: string): string {
  return part.replace(
    /Invalid option: expected one of ((?:"[^"]*"\|?)+)/,
    (_, choices: string) => `must be one of ${choices.split('|').join(', ')}`,
  )
}

/** Node's argument parser's wording ("Unknown option '--x'. To specify a positional …") made plain. */
export function parseProblem(error: { code?: string; message: string }): string {
  const option = /'(-[^' ]*)/.exec(error.message)?.[1]
  if (!option) return error.message
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option}`
  if (/argument missing/.test(error.message)) return `${option} needs a value`
  if (/does not take an argument/.test(error.message)) return `${option} takes no value`
  return error.message
}

/**
 * `--priority -1` as `--priority=-1`: node's parser takes a value that starts with "-" for an
 * option of its own and refuses it, so a negative number after an option that takes a value is
 * joined to it first.
 */
export function joinNegativeNumbers(args: string[], valued: Set<string>): string[] {
  const out: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--') return [...out, ...args.slice(i)]
    const next = args[i + 1]
    if (valued.has(arg) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`)
      i++
    } else out.push(arg)
  }
  return out
}
