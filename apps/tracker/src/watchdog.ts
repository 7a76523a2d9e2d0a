import { type Context, sweepStaleRuns } from '@trainbook/api';

/**
 * Marks running runs crashed when their heartbeats stop (see run.heartbeat for revival).
 * Sweeps at a quarter of the timeout, so a run is marked within 1.25 × timeout.
 */
export function startWatchdog(options: {
  ctx: Pick<Context, 'store' | 'events'>;
  timeoutMs: number;
  log: (line: string) => void;
}): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(
    () => {
      running = sweepStaleRuns(options.ctx, options.timeoutMs)
        .then((ids) => {
          for (const id of ids)
            options.log(
              `watchdog: run ${id} sent no heartbeat for ${options.timeoutMs / 1000} s: crashed`,
            );
        })
        .catch((error: Error) => options.log(`watchdog: sweep failed: ${error.message}`));
    },
    Math.max(250, options.timeoutMs / 4),
  );
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
