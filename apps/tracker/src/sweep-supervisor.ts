import { type Context, reconcileTrials } from '@trainbook/api';

/**
 * Keeps the trials table in line with the sweep queue: every `intervalMs` it has pg-boss fail
 * the jobs whose lease lapsed (and do its upkeep), then marks those attempts' runs crashed and
 * queues their trials again (or fails them, out of attempts). It reconciles once at start too
 * (a tracker that was down may have missed lapses).
 */
export function startSweepSupervisor(options: {
  ctx: Pick<Context, 'store' | 'events' | 'queue'>;
  intervalMs: number;
  log: (line: string) => void;
}): () => Promise<void> {
  let running: Promise<unknown> = Promise.resolve();
  const pass = (supervise: boolean) => {
    const queue = options.ctx.queue!;
    running = (supervise && queue.running ? queue.supervise() : Promise.resolve())
      .then(() => reconcileTrials(options.ctx))
      .then((changed) => {
        for (const trial of changed) options.log(`sweeps: trial ${trial}: lease lapsed or settled`);
      })
      .catch((error: Error) => options.log(`sweeps: check failed: ${error.message}`));
  };
  pass(false);
  const timer = setInterval(() => {
    running.then(() => pass(true));
  }, options.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
