import { createTrackerClient } from '@trainbook/api/client';
import { defaultTrackerUrl, UsageError } from '../cli.js';
import { inheritedEnv, readEnv } from '../env.js';
import { ensureTracker } from '../reporting/ensure-tracker.js';
import { describeSearch, expandSweep, trainCommand } from './expand-sweep.js';
import { parseSweepArgs, sweepHelp } from './sweep-args.js';

/** `pnpm sweep`: exit 0 created (or listed), 1 the tracker refused or is unreachable, 2 bad flags. */
async function main(argv: string[]): Promise<number> {
  const env = readEnv();
  let command: ReturnType<typeof parseSweepArgs>;
  let trials: ReturnType<typeof expandSweep>;
  try {
    command = parseSweepArgs(argv, { cwd: env.cwd });
    if (command === 'help') {
      process.stdout.write(sweepHelp);
      return 0;
    }
    trials = expandSweep(command.spec);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\nSee pnpm sweep --help.\n`);
    return 2;
  }
  const { spec } = command;
  const what = `${trials.length.toLocaleString('en-US')} runs (${describeSearch(spec)})`;
  if (command.dryRun) {
    process.stdout.write(`sweep ${spec.name}: ${what}; nothing created (--dry-run)\n`);
    trials.forEach((trial, i) => {
      process.stdout.write(`  ${String(i).padStart(4)}  ${trainCommand(trial.config)}\n`);
    });
    return 0;
  }
  const trackerUrl = command.tracker ?? defaultTrackerUrl;
  const tracker = await ensureTracker({
    trackerUrl,
    home: env.TRAINBOOK_HOME,
    autoStart: trackerUrl === defaultTrackerUrl,
    env: inheritedEnv(),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  if (tracker.kind === 'unreachable') {
    process.stderr.write(
      `error: --tracker ${trackerUrl}: ${tracker.reason}; nothing was created\n`,
    );
    return 1;
  }
  const client = createTrackerClient({ url: trackerUrl, token: env.TRACKER_TOKEN });
  try {
    const created = await client.sweep.create.mutate({
      name: spec.name,
      search: spec.search,
      spec: JSON.parse(JSON.stringify(spec)),
      trials,
      maxAttempts: spec.maxAttempts,
      leaseSeconds: spec.leaseSeconds,
      earlyStopping: spec.earlyStopping,
    });
    const dashboard = env.TRAINBOOK_DASHBOARD_URL.replace(/\/$/, '');
    const trackerFlag = trackerUrl === defaultTrackerUrl ? '' : ` --tracker ${trackerUrl}`;
    process.stdout.write(
      [
        `sweep ${created.name}: ${what}`,
        `  id ${created.id}`,
        `  start workers here, or on any machine that reaches the tracker (with its TRACKER_TOKEN):`,
        `    pnpm worker${trackerFlag}`,
        `  watch it: ${dashboard}/sweeps/${created.id}`,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (error) {
    const e = error as Error & { data?: { code?: string } };
    const hint =
      e.data?.code === 'UNAUTHORIZED' ? " (set TRACKER_TOKEN to the tracker's token)" : '';
    process.stderr.write(
      `error: the tracker at ${trackerUrl} refused the sweep: ${e.message}${hint}; nothing was created\n`,
    );
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`error: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
