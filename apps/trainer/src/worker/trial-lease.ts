import { Worker } from 'node:worker_threads';

export interface HeldTrial {
  sweepId: string;
  index: number;
  jobId: string;
  attempt: number;
}

/**
 * Keeps the worker's lease on its trial: a heartbeat every third of the lease, from its own
 * thread (lease-thread.ts). The answer may ask the trial to stop (early stopping, sweep
 * cancelled: at the end of the epoch), or say the lease is lost (the tracker gave the trial to
 * another attempt: stop now). A heartbeat that does not arrive is tried again a second later.
 */
export function keepLease(options: {
  url: string;
  token: string | undefined;
  held: HeldTrial;
  leaseSeconds: number;
  onStop: (reason: string) => void;
  onLost: (reason: string) => void;
  onUnreachable: (reason: string) => void;
}): { stop(): Promise<void> } {
  const thread = new Worker(new URL('./lease-thread.ts', import.meta.url), {
    workerData: {
      url: options.url,
      token: options.token,
      held: options.held,
      leaseSeconds: options.leaseSeconds,
    },
    execArgv: ['--import', 'tsx'],
  });
  thread.on('message', (message: { type: 'stop' | 'lost' | 'unreachable'; reason: string }) => {
    if (message.type === 'stop') options.onStop(message.reason);
    else if (message.type === 'lost') options.onLost(message.reason);
    else options.onUnreachable(message.reason);
  });
  thread.on('error', (error) => options.onUnreachable(`lease thread failed: ${error.message}`));
  return {
    async stop() {
      await thread.terminate();
    },
  };
}
