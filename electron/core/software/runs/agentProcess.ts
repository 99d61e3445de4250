// One child of a run (the agent, or its setup command): spawned with an argv in its own process
// group, its output handed over chunk by chunk, its end reported once it has exited and its pipes
// have drained (or shortly after the exit, when something it left behind holds them open).
import { spawn, type ChildProcess } from 'node:child_process'

export interface Exit {
  code: number | null
  signal: string | null
}

export interface AgentProcessOptions {
  argv: string[]
  cwd: string
  env: NodeJS.ProcessEnv
  /** Written to stdin, then closed; undefined: stdin is /dev/null. */
  stdin?: string
  onSpawn(child: ChildProcess): void
  onOutput(stream: 'stdout' | 'stderr', chunk: Buffer): void
  /** The process could not be started at all (ENOENT, EACCES …). */
  onSpawnError(error: Error): void
}

const DRAIN_AFTER_EXIT_MS = 2000

export function describeExit(exit: Exit): string {
  if (exit.signal) return `killed by ${exit.signal}`
  if (exit.code === null) return 'could not be started'
  return `exited with code ${exit.code}`
}

/** Environment a supervisor must not hand on: it would make an Electron the agent starts a plain Node. */
const HOST_ONLY_ENV = ['ELECTRON_RUN_AS_NODE', 'FACTORY_SQLITE_BINDING']

export function childEnv(...layers: NodeJS.ProcessEnv[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.assign({}, ...layers)
  for (const key of HOST_ONLY_ENV) delete env[key]
  return env
}

export function runAgentProcess(options: AgentProcessOptions): Promise<Exit> {
  const [file, ...args] = options.argv
  return new Promise((resolve) => {
    const child = spawn(file!, args, {
      cwd: options.cwd,
      env: options.env,
      // Its own process group: cancel and timeout signal the whole tree.
      detached: true,
      windowsHide: true,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    })
    let settled = false
    let exit: Exit | undefined
    let openPipes = 2
    const settle = (): void => {
      if (settled || !exit) return
      settled = true
      resolve(exit)
    }
    child.on('error', (error) => {
      if (child.pid) return // a late error on a running child (e.g. a signal it could not take)
      options.onSpawnError(error)
      settled = true
      resolve({ code: null, signal: null })
    })
    child.on('spawn', () => options.onSpawn(child))
    if (child.stdin) {
      child.stdin.on('error', () => undefined) // the agent may exit without reading it
      child.stdin.end(options.stdin)
    }
    for (const stream of ['stdout', 'stderr'] as const) {
      const pipe = child[stream]!
      pipe.on('data', (chunk: Buffer) => options.onOutput(stream, chunk))
      pipe.once('close', () => {
        openPipes--
        if (openPipes === 0) settle()
      })
    }
    child.on('exit', (code, signal) => {
      exit = { code, signal }
      if (openPipes === 0) return settle()
      setTimeout(() => {
        child.stdout!.destroy()
        child.stderr!.destroy()
        settle()
      }, DRAIN_AFTER_EXIT_MS).unref()
    })
  })
}
