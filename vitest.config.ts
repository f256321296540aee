import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Integration suites touch shared host resources (docker engine, bridges, ports): one file at a time keeps them honest.
    fileParallelism: false,
    reporters: ['default'],
  },
});
