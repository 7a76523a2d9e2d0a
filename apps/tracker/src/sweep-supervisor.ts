import { type Context, reconcileTrials } from '@trainbook/api';

/**
 * Keeps the trials table in line with the sweep queue: attempts whose lease lapsed have their
 * run marked crashed and their trial queued again (or failed, out of attempts). Runs once at
 * start (a tracker that was down may have missed lapses) and then every `intervalMs`.
 */
export function startSweepSupervisor(options: {
  ctx: Pick<Context, 'store' | 'events' | 'queue'>;
  intervalMs: number;
  log: (line: string) => void;
}): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const pass = () => {
    running = reconcileTrials(options.ctx)
      .then((changed) => {
        for (const trial of changed) options.log(`sweeps: trial ${trial}: lease lapsed or settled`);
      })
      .catch((error: Error) => options.log(`sweeps: check failed: ${error.message}`));
  };
  pass();
  const timer = setInterval(() => {
    running.then(pass);
  }, options.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
