#!/usr/bin/env -S npx tsx
import { StoreLockedError } from '@trainbook/db';
import { EnvError, readEnv } from './env.js';
import { startTracker } from './tracker.js';

const log = (line: string) => console.log(`[tracker] ${line}`);

async function main() {
  const env = readEnv();
  const tracker = await startTracker(env, log);
  log(`store: ${tracker.store.kind} at ${tracker.store.location}`);
  log(`listening on ${tracker.url}${env.TRACKER_TOKEN ? ' (token required for changes)' : ''}`);
  let signals = 0;
  const stop = (signal: string) => {
    signals++;
    if (signals > 1) {
      log(`${signal} again: exiting now`);
      process.exit(130);
    }
    log(`${signal}: finishing in-flight writes, then stopping`);
    tracker.close().then(
      () => {
        log('stopped');
        process.exit(0);
      },
      (error: Error) => {
        console.error(`[tracker] shutdown failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: Error) => {
  console.error(`[tracker] ${error.message}`);
  process.exit(error instanceof EnvError || error instanceof StoreLockedError ? 2 : 1);
});
