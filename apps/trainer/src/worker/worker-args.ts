import { Command } from 'commander';
import { defaultTrackerUrl, parseFlags, UsageError } from '../cli.js';

export interface WorkerArgs {
  concurrency: number;
  exitWhenIdle: boolean;
  tracker: string;
  /** Seconds between claims while no trial is queued. */
  pollSeconds: number;
  json: boolean;
  /** Set on the processes a worker starts for --concurrency above 1. */
  slot: number | null;
}

function whole(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${flag}: expected a whole number from ${min} to ${max} (got "${text}")`);
  return n;
}

/** `pnpm worker` flags → settings; a bad one names itself. Returns the help text for --help. */
export function parseWorkerArgs(argv: string[]): WorkerArgs | { help: string } {
  const cmd = new Command()
    .name('pnpm worker')
    .description(
      'Trains queued sweep trials, one at a time per slot, as pnpm train does (same reports,\n' +
        'runs linked to their sweep), renewing its lease on each by heartbeat. Start as many as\n' +
        'you like, on any machine that reaches the tracker. The token comes from TRACKER_TOKEN.',
    )
    .option('--concurrency <n>', 'trials trained at once, each in its own process (default 1)', '1')
    .option('--exit-when-idle', 'exit when no trial is queued or running (default: wait for more)')
    .option('--tracker <url>', `tracker tRPC URL (default ${defaultTrackerUrl})`, defaultTrackerUrl)
    .option('--poll-seconds <s>', 'seconds between claims while idle (default 5)', '5')
    .option('--json', 'print JSON lines (one event a line)')
    .option('--slot <n>', '(internal) one slot of a worker with --concurrency above 1')
    .helpOption('-h, --help', 'show this help')
    .allowExcessArguments(false);
  const asked = parseFlags(cmd, argv, 'See pnpm worker --help.');
  if (asked) return asked;
  const o = cmd.opts<Record<string, string | boolean | undefined>>();
  const tracker = String(o.tracker);
  if (!/^https?:\/\/[^/\s]+/.test(tracker))
    throw new UsageError(
      `--tracker: expected an http(s) URL, e.g. ${defaultTrackerUrl} (got "${tracker}")`,
    );
  return {
    concurrency: whole('--concurrency', String(o.concurrency), 1, 64),
    exitWhenIdle: o.exitWhenIdle === true,
    tracker,
    pollSeconds: whole('--poll-seconds', String(o.pollSeconds), 1, 3600),
    json: o.json === true,
    slot: o.slot === undefined ? null : whole('--slot', String(o.slot), 0, 63),
  };
}
