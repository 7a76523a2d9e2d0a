import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import { defaultTrackerUrl } from './cli.js';
import { inheritedEnv, readEnv } from './env.js';
import { ensureTracker } from './reporting/ensure-tracker.js';
import { listJournals } from './reporting/journal.js';
import { replaySpool } from './reporting/replay.js';

/** `pnpm sync`: sends the spools earlier runs left (offline runs, a tracker that was down). */
async function main(argv: string[]): Promise<number> {
  const env = readEnv();
  const spoolDir = join(env.TRAINBOOK_HOME, 'spool');
  let help = '';
  const cmd = new Command()
    .name('pnpm sync')
    .description(`Send the runs waiting in ${spoolDir} to the tracker, in order, each point once.`)
    .option('--tracker <url>', `tracker tRPC URL (default ${defaultTrackerUrl})`)
    .option('--timeout <seconds>', 'how long to keep retrying an unreachable tracker', '30')
    .exitOverride()
    .configureOutput({ writeOut: (s) => (help += s), writeErr: (s) => (help += s) });
  try {
    cmd.parse(argv[0] === '--' ? argv.slice(1) : argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError && error.code === 'commander.helpDisplayed') {
      process.stdout.write(help);
      return 0;
    }
    process.stderr.write(help || `error: ${(error as Error).message}\n`);
    return 2;
  }
  const opts = z
    .object({
      tracker: z.url({ error: '--tracker: expected an http(s) URL' }).default(defaultTrackerUrl),
      timeout: z.coerce
        .number({ error: '--timeout: expected seconds' })
        .positive('--timeout: expected seconds > 0'),
    })
    .safeParse(cmd.opts());
  if (!opts.success) {
    process.stderr.write(`error: ${opts.error.issues.map((i) => i.message).join('; ')}\n`);
    return 2;
  }
  const waiting = listJournals(spoolDir);
  if (waiting.length === 0) {
    console.log(`nothing to send: no spooled runs in ${spoolDir}`);
    return 0;
  }
  console.log(`${waiting.length} spooled run(s) in ${spoolDir}`);
  const tracker = await ensureTracker({
    trackerUrl: opts.data.tracker,
    home: env.TRAINBOOK_HOME,
    autoStart: opts.data.tracker === defaultTrackerUrl,
    env: inheritedEnv(),
    log: (line) => console.log(line),
  });
  if (tracker.kind === 'unreachable') {
    console.error(`error: ${tracker.reason}; nothing sent, the spool is kept`);
    return 1;
  }
  const results = await replaySpool({
    spoolDir,
    trackerUrl: opts.data.tracker,
    token: env.TRACKER_TOKEN,
    timeoutMs: opts.data.timeout * 1000,
  });
  let failed = false;
  for (const r of results) {
    const label = r.name ? `${r.runId} (${r.name})` : r.runId;
    if (r.outcome === 'sent')
      console.log(`sent run ${label}: ${r.entries} reports, ${r.points} points; ${r.detail}`);
    else if (r.outcome === 'nothing-new') console.log(`run ${label}: ${r.detail}; spool removed`);
    else if (r.outcome === 'in-use') console.log(`skipped run ${label}: ${r.detail}`);
    else if (r.outcome === 'quarantined') {
      failed = true;
      console.error(`quarantined run ${label}: ${r.detail}`);
    } else {
      failed = true;
      console.error(`not sent: run ${label} (${r.outcome}): ${r.detail}`);
    }
  }
  const total = results.reduce((n, r) => n + r.points, 0);
  console.log(`done: ${total} points sent to ${opts.data.tracker}`);
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`error: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
