import { parentPort, workerData } from 'node:worker_threads';
import { createTrackerClient } from '@trainbook/api/client';
import type { HeldTrial } from './trial-lease.js';

/**
 * The lease's heartbeats, on their own thread: training holds the main thread for seconds at
 * a time (building VGG16, caching features on a busy machine), and a lease must not lapse
 * because of that. Started once a worker (its start-up is paid before any claim), it beats
 * for the trial it is told to 'hold' until told to 'release'. Posts 'stop' (asked to stop at
 * the end of the epoch), 'lost' (the trial went to another attempt) and 'unreachable'.
 */
const { url, token } = workerData as { url: string; token: string | undefined };
const client = createTrackerClient({ url, token });
let held: HeldTrial | null = null;
let timer: NodeJS.Timeout | null = null;
let failing = false;
let retrying = false;

const post = (type: 'stop' | 'lost' | 'unreachable', jobId: string, reason: string) =>
  parentPort!.postMessage({ type, jobId, reason });

async function beat(trial: HeldTrial) {
  if (held !== trial) return;
  try {
    const answer = await client.trial.heartbeat.mutate(trial);
    failing = false;
    if (held !== trial) return;
    if (!answer.held) post('lost', trial.jobId, answer.stop ?? 'the lease was lost');
    else if (answer.stop) post('stop', trial.jobId, answer.stop);
  } catch (error) {
    if (!failing) post('unreachable', trial.jobId, (error as Error).message);
    failing = true;
    // A dropped connection is common (a keep-alive socket closed under the call): try again
    // soon rather than a third of a lease later.
    if (!retrying) {
      retrying = true;
      setTimeout(() => {
        retrying = false;
        void beat(trial);
      }, 1000);
    }
  }
}

parentPort!.on(
  'message',
  (message: { type: 'hold'; held: HeldTrial; leaseSeconds: number } | { type: 'release' }) => {
    if (timer) clearInterval(timer);
    timer = null;
    held = null;
    if (message.type !== 'hold') return;
    const trial = message.held;
    held = trial;
    void beat(trial);
    timer = setInterval(() => void beat(trial), Math.max(1000, (message.leaseSeconds * 1000) / 3));
  },
);
parentPort!.postMessage({ type: 'ready' });
