// `npm run bench`: figures printed as ratios against baselines measured in the same run; nothing here
// is asserted by the test suite.
import { benchBoard } from './board.bench'
import { benchAllocator } from './allocator.bench'
import { benchAppend } from './ledger.bench'
import { benchRuns } from './runs.bench'
import { benchSaturation } from './saturation.bench'
import { benchWeek } from './week.bench'

console.log(`Factory Stack benchmarks — node ${process.version}, ${new Date().toISOString()}`)
benchAppend()
await benchBoard()
await benchRuns()
benchAllocator()
await benchSaturation()
benchWeek()
