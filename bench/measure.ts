// Benchmark helpers: run a body several times and keep the median, so one hiccup does not decide.
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? NaN
}

export function timeMs(body: () => void): number {
  const start = process.hrtime.bigint()
  body()
  return Number(process.hrtime.bigint() - start) / 1e6
}

export function rate(count: number, ms: number): string {
  return `${Math.round((count / ms) * 1000).toLocaleString('en-US')}/s`
}

export function line(name: string, figure: string, target: string, met: boolean): void {
  console.log(`${met ? 'met ' : 'MISS'}  ${name.padEnd(44)} ${figure.padEnd(40)} target ${target}`)
}
