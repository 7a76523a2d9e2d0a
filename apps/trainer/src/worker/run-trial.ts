import type { RouterOutputs } from '@trainbook/api';
import type { TrackerClient } from '@trainbook/api/client';
import { parseCli, UsageError } from '../cli.js';
import type { ConsoleOutput } from '../console/console-output.js';
import type { TrainerEnv } from '../env.js';
import { isRetryable } from '../reporting/sender.js';
import { trainArgs, trainCommand } from '../sweep/expand-sweep.js';
import type { LeaseKeeper } from './trial-lease.js';

export type Claim = NonNullable<RouterOutputs['trial']['claim']>;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Trains one claimed trial with the trainer's own train(), exactly as `pnpm train` would with
 * the config's flags, while its lease is kept; then tells the tracker how it ended.
 */
export async function runTrial(options: {
  claim: Claim;
  client: TrackerClient;
  trackerUrl: string;
  env: TrainerEnv;
  output: ConsoleOutput;
  json: boolean;
  /** The worker's heartbeat thread. */
  lease: LeaseKeeper;
  /** Aborted when the worker is stopped (Ctrl-C): the trial goes back to the queue. */
  signal: AbortSignal;
}): Promise<{ status: 'finished' | 'failed' | 'killed'; state: string }> {
  const { claim, client, output, env } = options;
  const held = {
    sweepId: claim.sweepId,
    index: claim.index,
    jobId: claim.jobId,
    attempt: claim.attempt,
  };
  const config = claim.config as Record<string, unknown>;
  output.info(
    `trial ${claim.index} of sweep ${claim.sweepName} (attempt ${claim.attempt} of ${claim.maxAttempts}): ${trainCommand(config)}`,
    { trial: claim.index, sweepId: claim.sweepId, attempt: claim.attempt, runId: claim.runId },
  );
  const controller = new AbortController();
  const abort = () => controller.abort();
  options.signal.addEventListener('abort', abort);
  let stopReason: string | null = null;
  let lostReason: string | null = null;
  const lease = options.lease;
  lease.hold(held, claim.leaseSeconds, {
    onStop: (reason) => {
      if (!stopReason)
        output.info(`trial ${claim.index}: ${reason}; stopping at the end of this epoch`);
      stopReason = reason;
    },
    onLost: (reason) => {
      if (!lostReason) output.warn(`trial ${claim.index}: ${reason}; stopping now`);
      lostReason = reason;
      controller.abort();
    },
    onUnreachable: (reason) =>
      output.warn(
        `trial ${claim.index}: heartbeat did not reach the tracker (${reason}); trying again`,
      ),
  });
  let status: 'finished' | 'failed' | 'killed';
  let reason: string | undefined;
  try {
    const name = `${claim.sweepName}-${claim.index}${claim.attempt > 1 ? `-attempt${claim.attempt}` : ''}`;
    const parsed = parseCli(
      [
        ...trainArgs(config),
        '--name',
        name,
        '--tracker',
        options.trackerUrl,
        ...(options.json ? ['--json'] : []),
      ],
      { cwd: env.cwd },
    );
    if (parsed.kind !== 'train') throw new UsageError('the trial config asked for help');
    // Loaded only now, so a worker that finds nothing queued never starts TensorFlow.js.
    const { train } = await import('../train.js');
    const outcome = await train({
      config: parsed.config,
      env,
      output,
      signal: controller.signal,
      trackerUrl: options.trackerUrl,
      sweepTrial: {
        runId: claim.runId,
        sweepId: claim.sweepId,
        trialIndex: claim.index,
        attempt: claim.attempt,
      },
      // A lost lease aborts at once; its reason is the run's too.
      stopAfterEpoch: () => stopReason ?? lostReason,
    });
    status = outcome.status;
    reason = outcome.error?.message ?? lostReason ?? undefined;
    output.event('trial-ended', { trial: claim.index, runId: outcome.runId, status });
  } catch (error) {
    // Before the run exists (bad config, data, weights): the trial fails with the reason.
    status = 'failed';
    reason = (error as Error).message;
    output.error(`trial ${claim.index}: ${reason}`);
  }
  options.signal.removeEventListener('abort', abort);
  // Keep the lease while the report goes out: a tracker that is restarting must not see the
  // trial as abandoned meanwhile.
  for (let delay = 500; ; delay = Math.min(delay * 2, 5000)) {
    try {
      const answer = await client.trial.finish.mutate({
        ...held,
        runId: claim.runId,
        status,
        ...(reason ? { reason: reason.slice(0, 20_000) } : {}),
      });
      lease.release();
      if (!answer.accepted)
        output.warn(
          `trial ${claim.index}: the tracker had given it to another attempt; this one's result is not its result`,
        );
      output.event('trial-reported', {
        trial: claim.index,
        runId: claim.runId,
        state: answer.state,
      });
      return { status, state: answer.state };
    } catch (error) {
      if (!isRetryable(error)) {
        lease.release();
        throw error;
      }
      await sleep(delay);
    }
  }
}
