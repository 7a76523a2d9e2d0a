import type { TrackerClient } from '@trainbook/api/client';

export interface HeldTrial {
  sweepId: string;
  index: number;
  jobId: string;
  attempt: number;
}

/**
 * Keeps the worker's lease on its trial: a heartbeat every third of the lease. The answer may
 * ask the trial to stop (early stopping, sweep cancelled: at the end of the epoch), or say the
 * lease is lost (the tracker gave the trial to another attempt: stop now). A heartbeat that
 * does not arrive (tracker restarting) is tried again at the next beat.
 */
export function keepLease(options: {
  client: TrackerClient;
  held: HeldTrial;
  leaseSeconds: number;
  onStop: (reason: string) => void;
  onLost: (reason: string) => void;
  onUnreachable: (error: Error) => void;
}): { beat(): Promise<void>; stop(): void } {
  let stopped = false;
  let failing = false;
  const beat = async () => {
    if (stopped) return;
    try {
      const answer = await options.client.trial.heartbeat.mutate(options.held);
      failing = false;
      if (!answer.held) options.onLost(answer.stop ?? 'the lease was lost');
      else if (answer.stop) options.onStop(answer.stop);
    } catch (error) {
      if (!failing) options.onUnreachable(error as Error);
      failing = true;
      // A dropped connection is common (a keep-alive socket closed under the call): try again
      // soon rather than a third of a lease later.
      retry ??= setTimeout(() => {
        retry = null;
        void beat();
      }, 1000);
    }
  };
  let retry: NodeJS.Timeout | null = null;
  const timer = setInterval(() => void beat(), Math.max(1000, (options.leaseSeconds * 1000) / 3));
  timer.unref();
  return {
    beat,
    stop() {
      stopped = true;
      clearInterval(timer);
      if (retry) clearTimeout(retry);
    },
  };
}
