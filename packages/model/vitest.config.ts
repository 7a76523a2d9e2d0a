import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // Tests share 2 cores with other work; one file at a time keeps timings honest and each
    // file's wasm module (with its thread pool) alone on the machine.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
