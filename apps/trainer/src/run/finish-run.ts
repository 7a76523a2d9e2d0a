import type { ConsoleOutput } from '../console/console-output.js';
import type { TrainerEnv } from '../env.js';
import type { FinishRunInput } from '../reporting/journal.js';
import type { RunReporter } from '../reporting/run-reporter.js';

/**
 * Ends the run at the tracker (status, summary, reason) and waits up to
 * TRAINBOOK_FLUSH_SECONDS for its reports to be taken; says where they wait if not.
 */
export async function finishRun(options: {
  reporter: RunReporter;
  output: ConsoleOutput;
  env: TrainerEnv;
  status: 'finished' | 'failed' | 'killed';
  summary: Record<string, unknown>;
  reason?: string | undefined;
}): Promise<void> {
  const { reporter, output, env, status, summary, reason } = options;
  const totals = await reporter.finish(
    {
      status,
      summary: summary as FinishRunInput['summary'],
      ...(reason !== undefined ? { reason } : {}),
    },
    env.TRAINBOOK_FLUSH_SECONDS * 1000,
  );
  output.event('reporting', { ...totals });
  if (totals.state === 'offline') {
    output.info(`${totals.points} points kept in ${totals.journal}; send them with pnpm sync`);
  } else if (totals.pendingPoints > 0 || totals.state !== 'idle') {
    output.warn(
      `the tracker has not taken everything yet (${totals.pendingPoints} points waiting): kept in ${totals.journal}; run pnpm sync when it is back`,
    );
  }
}
