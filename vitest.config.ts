import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      'electron/**/*.test.ts',
      'shared/**/*.test.ts',
      'renderer/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 20_000,
    pool: 'forks',
    // Two at once even on a 2-core machine: most tests wait on child processes and files, not CPU
    // (the suite takes about three quarters of the time it takes one at a time).
    maxWorkers: 2,
    css: { include: [/theme\.css/] },
  },
})
