import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    benchmark: { include: ['test/**/*.bench.ts'] },
    // Sockets, child processes and worker threads: give slow CI machines room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // --expose-gc lets the Deferred tests check the "Unhandled error in Deferred" log.
    pool: 'forks',
    execArgv: ['--expose-gc'],
  },
});
