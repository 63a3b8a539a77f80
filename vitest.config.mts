import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Sockets, child processes and worker threads: give slow CI machines room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // --expose-gc lets the Deferred tests check the "Unhandled error in Deferred" log.
    pool: 'forks',
    execArgv: ['--expose-gc'],
    // Each benchmark prints its own table of one run (see test/bench/reporter.ts).
    benchmark: { reporters: ['./test/bench/reporter.ts'] },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/notebooks/**', 'test/browser/**', 'test/zh/**'],
          benchmark: { include: ['test/bench/**/*.bench.ts'] },
        },
      },
      {
        // Executes the notebooks through Jupyter, one at a time: they time themselves.
        extends: true,
        test: {
          name: 'notebooks',
          include: ['test/notebooks/**/*.test.ts'],
          fileParallelism: false,
          benchmark: { include: [] },
          testTimeout: 300_000,
        },
      },
      {
        // `npm run test:zh` (CI, after npm test): the Chinese chapters that show their own run.
        extends: true,
        test: {
          name: 'zh',
          include: ['test/zh/**/*.test.ts'],
          fileParallelism: false,
          benchmark: { include: [] },
          testTimeout: 300_000,
        },
      },
      {
        // `npm run test:browser`: the course in Chromium, step by step (one file, in order).
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          fileParallelism: false,
          benchmark: { include: [] },
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
