import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createTrackerClient } from '@trainbook/api/client';
import { defaultTrackerUrl, UsageError } from '../cli.js';
import { ConsoleOutput } from '../console/console-output.js';
import { inheritedEnv, readEnv } from '../env.js';
import { ensureTracker } from '../reporting/ensure-tracker.js';
import { parseWorkerArgs } from './worker-args.js';
import { WorkerRefusedError, workLoop } from './worker-loop.js';

/** `pnpm worker`: exit 0 idle (with --exit-when-idle) or stopped, 1 failed, 2 bad flags or token. */
async function main(argv: string[]): Promise<number> {
  const env = readEnv();
  let args: ReturnType<typeof parseWorkerArgs>;
  try {
    args = parseWorkerArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return 2;
  }
  if ('help' in args) {
    process.stdout.write(args.help);
    return 0;
  }
  const output = new ConsoleOutput(args.json ? 'json' : 'console');
  if (args.slot !== null) {
    // A slot of a parent worker: when the parent dies, so does the slot, and its lease lapses.
    process.stdin.on('end', () => process.kill(process.pid, 'SIGKILL'));
    process.stdin.resume();
  }
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    if (++interrupts > 1) process.exit(130);
    output.warn(
      'Ctrl-C: stopping; the trials in hand go back to the queue (press again to exit at once)',
    );
    controller.abort();
  });

  if (args.slot === null) {
    const tracker = await ensureTracker({
      trackerUrl: args.tracker,
      home: env.TRAINBOOK_HOME,
      autoStart: args.tracker === defaultTrackerUrl,
      env: inheritedEnv(),
      log: (line) => output.info(line),
    });
    if (tracker.kind === 'unreachable') output.warn(`${tracker.reason}; waiting for it`);
    const cores = availableParallelism();
    if (args.concurrency > cores)
      output.warn(
        `--concurrency ${args.concurrency} is more than this machine's ${cores} cores: the trainings share them and each runs slower than alone`,
      );
  }
  if (args.concurrency > 1) return runSlots(args.concurrency, argv, controller.signal);

  const client = createTrackerClient({ url: args.tracker, token: env.TRACKER_TOKEN });
  try {
    const trained = await workLoop({
      client,
      trackerUrl: args.tracker,
      env,
      output,
      json: args.json,
      exitWhenIdle: args.exitWhenIdle,
      pollMs: args.pollSeconds * 1000,
      signal: controller.signal,
    });
    output.info(
      `worker: ${trained} trial(s) trained; ${controller.signal.aborted ? 'stopped' : 'nothing queued'}`,
      { trained },
    );
    return controller.signal.aborted ? 130 : 0;
  } catch (error) {
    output.error((error as Error).message);
    return error instanceof WorkerRefusedError ? 2 : 1;
  }
}

/** --concurrency n: n slot processes (TensorFlow.js trains one model a process at a time). */
async function runSlots(n: number, argv: string[], signal: AbortSignal): Promise<number> {
  const entry = fileURLToPath(import.meta.url);
  const codes = await Promise.all(
    Array.from({ length: n }, (_, slot) => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', entry, ...argv, '--concurrency', '1', '--slot', String(slot)],
        { stdio: ['pipe', 'inherit', 'inherit'] },
      );
      signal.addEventListener('abort', () => child.kill('SIGINT'));
      return new Promise<number>((done) => child.on('exit', (code) => done(code ?? 1)));
    }),
  );
  return Math.max(...codes);
}

main(process.argv.slice(2)).then(
  // Worker threads of the wasm backend would keep the process alive.
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`error: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
