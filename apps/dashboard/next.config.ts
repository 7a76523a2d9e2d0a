import type { NextConfig } from 'next';

const config: NextConfig = {
  // Our packages ship TypeScript source.
  transpilePackages: ['@trainbook/api', '@trainbook/metrics'],
  poweredByHeader: false,
  // Our own files live in this app; the repo root is the workspace root for tracing.
  outputFileTracingRoot: new URL('../..', import.meta.url).pathname,
  turbopack: { root: new URL('../..', import.meta.url).pathname },
};

export default config;
