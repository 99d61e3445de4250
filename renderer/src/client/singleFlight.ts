// One read at a time: calls that arrive while one is in flight ask for exactly one more after it,
// so a burst of pushes costs two reads, not one each, and no answer lands out of order.
export function singleFlight(read: () => Promise<void>): {
  run: () => Promise<void>
  /** Resolves when no read is in flight. */
  settled: () => Promise<void>
} {
  let inFlight: Promise<void> | null = null
  let again = false
  const loop = async () => {
    do {
      again = false
      await read()
    } while (again)
  }
  return {
    run() {
      if (inFlight) {
        again = true
        return inFlight
      }
      inFlight = loop().finally(() => (inFlight = null))
      return inFlight
    },
    settled: () => inFlight ?? Promise.resolve(),
  }
}
