import type { NextConfig } from 'next';

const config: NextConfig = {
  // The api package ships TypeScript source.
  transpilePackages: ['@trainbook/api'],
  poweredByHeader: false,
  // Our own files live in this app; the repo root is the workspace root for tracing.
  outputFileTracingRoot: new URL('../..', import.meta.url).pathname,
  turbopack: { root: new URL('../..', import.meta.url).pathname },
};

export default config;
