import { parentPort, workerData } from 'node:worker_threads';
import { createTrackerClient } from '@trainbook/api/client';
import type { HeldTrial } from './trial-lease.js';

/**
 * The lease's heartbeats, on their own thread: training holds the main thread for seconds at
 * a time (building VGG16, caching features on a busy machine), and a lease must not lapse
 * because of that. Posts 'stop' (asked to stop at the end of the epoch), 'lost' (the trial
 * went to another attempt) and 'unreachable' to the main thread.
 */
const { url, token, held, leaseSeconds } = workerData as {
  url: string;
  token: string | undefined;
  held: HeldTrial;
  leaseSeconds: number;
};
const client = createTrackerClient({ url, token });
let failing = false;
let retrying = false;

async function beat() {
  try {
    const answer = await client.trial.heartbeat.mutate(held);
    failing = false;
    if (!answer.held)
      parentPort!.postMessage({ type: 'lost', reason: answer.stop ?? 'the lease was lost' });
    else if (answer.stop) parentPort!.postMessage({ type: 'stop', reason: answer.stop });
  } catch (error) {
    if (!failing)
      parentPort!.postMessage({ type: 'unreachable', reason: (error as Error).message });
    failing = true;
    // A dropped connection is common (a keep-alive socket closed under the call): try again
    // soon rather than a third of a lease later.
    if (!retrying) {
      retrying = true;
      setTimeout(() => {
        retrying = false;
        void beat();
      }, 1000);
    }
  }
}

void beat();
setInterval(() => void beat(), Math.max(1000, (leaseSeconds * 1000) / 3));
