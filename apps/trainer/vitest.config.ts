import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Trainer processes run wasm on every core: one file at a time.
    fileParallelism: false,
  },
});
