import { hostname } from 'node:os';
import type { TrackerClient } from '@trainbook/api/client';
import { TRPCClientError } from '@trpc/client';
import type { ConsoleOutput } from '../console/console-output.js';
import type { TrainerEnv } from '../env.js';
import { isRetryable } from '../reporting/sender.js';
import { type Claim, runTrial } from './run-trial.js';
import { LeaseKeeper } from './trial-lease.js';

/** A refusal a worker cannot wait out (wrong token): exit code 2. */
export class WorkerRefusedError extends Error {}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((done) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      done();
    });
  });

/** Whether a running sweep still has trials queued or running. */
async function trialsInFlight(client: TrackerClient): Promise<boolean> {
  const { items } = await client.sweep.list.query({ status: ['running'], limit: 200 });
  return items.some((s) => s.counts.queued + s.counts.running > 0);
}

/**
 * One slot of a worker: claim a trial, train it, report it, take the next. Idle, it asks again
 * every `pollMs`, or ends with `exitWhenIdle` once no trial is queued or running. A tracker that does not answer is waited for.
 * @returns how many trials it trained.
 */
export async function workLoop(options: {
  client: TrackerClient;
  trackerUrl: string;
  env: TrainerEnv;
  output: ConsoleOutput;
  json: boolean;
  exitWhenIdle: boolean;
  pollMs: number;
  signal: AbortSignal;
}): Promise<number> {
  const { client, output, signal } = options;
  const worker = `${hostname()}/${process.pid}`;
  let trained = 0;
  let waiting = false;
  const lease = await LeaseKeeper.start({
    url: options.trackerUrl,
    token: options.env.TRACKER_TOKEN,
  });
  try {
    while (!signal.aborted) {
      let claim: Claim | null;
      try {
        claim = await client.trial.claim.mutate({ worker });
      } catch (error) {
        const code =
          error instanceof TRPCClientError
            ? (error.data as { code?: string } | undefined)?.code
            : undefined;
        if (code === 'UNAUTHORIZED')
          throw new WorkerRefusedError(
            `--tracker ${options.trackerUrl} refused this worker: ${(error as Error).message} (TRACKER_TOKEN is ${options.env.TRACKER_TOKEN ? 'set but not the tracker’s token' : 'not set'})`,
          );
        if (!isRetryable(error)) throw error;
        if (!waiting)
          output.warn(
            `the tracker at ${options.trackerUrl} does not answer (${(error as Error).message}); trying again`,
          );
        waiting = true;
        await sleep(options.pollMs, signal);
        continue;
      }
      waiting = false;
      if (!claim) {
        // Idle means nothing queued and nothing running: a running trial whose worker dies is
        // queued again, and someone must be here to take it.
        if (options.exitWhenIdle && !(await trialsInFlight(client).catch(() => true))) break;
        await sleep(options.pollMs, signal);
        continue;
      }
      await runTrial({
        claim,
        client,
        trackerUrl: options.trackerUrl,
        env: options.env,
        output,
        json: options.json,
        lease,
        signal,
      });
      trained++;
    }
  } finally {
    await lease.close();
  }
  return trained;
}
