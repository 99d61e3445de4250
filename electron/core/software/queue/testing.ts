// What the queue tests write as another machine's result file: any text, any JSON, and objects
// shaped like a result whose every field may be wrong.
import fc from 'fast-check'

export function resultContent(id: string, run: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc
      .record({
        id: fc.oneof(fc.constant(id), fc.string({ maxLength: 20 })),
        run: fc.oneof(fc.constant(run), fc.string({ maxLength: 20 })),
        outcome: fc.oneof(fc.constantFrom('shipped', 'done', 'failed'), fc.string()),
        exitCode: fc.oneof(fc.integer(), fc.double(), fc.constant(null), fc.string()),
        failure: fc.anything(),
        usage: fc.anything(),
        logTail: fc.oneof(fc.string(), fc.integer()),
      })
      .map((value) => JSON.stringify(value)),
  )
}
