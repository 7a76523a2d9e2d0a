import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { type ProgramProcess, startProgram } from '@trainbook/host';
import { inheritedEnv } from '../env.js';
import { repoRoot, trackerMain } from '../reporting/ensure-tracker.js';

export interface TrackerProcess extends ProgramProcess {
  url: string;
  port: number;
}

/**
 * The real tracker program as its own process (by path, as the trainer starts it), on
 * 127.0.0.1 and the given port (0: a free one); resolves once it prints "listening on".
 */
export async function startTracker(
  env: Record<string, string | undefined>,
  port = 0,
): Promise<TrackerProcess> {
  // The store is the caller's choice alone: never a DATABASE_URL that happens to be set.
  const { DATABASE_URL: _ignored, ...inherited } = inheritedEnv();
  const program = await startProgram({
    entry: trackerMain,
    cwd: join(repoRoot, 'apps', 'tracker'),
    env: { ...inherited, HOST: '127.0.0.1', PORT: String(port), ...env },
    ready: /listening on (http:\/\/\S+)/,
  });
  const url = program.ready[1]!;
  return { ...program, url, port: Number(new URL(url).port) };
}

export interface TrainerProcess {
  child: ChildProcess;
  /** stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Parsed JSON lines of stdout (with --json). */
  events(): Array<Record<string, unknown> & { event: string }>;
  /** Resolves when an event of that name has been printed. */
  waitFor(
    event: string,
    predicate?: (e: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `pnpm train`'s program with these flags, as its own process. */
export function runTrainer(
  args: string[],
  env: Record<string, string | undefined>,
): TrainerProcess {
  return runTrainerProgram('main.ts', args, env);
}

/**
 * One of the trainer's programs (`main.ts` is `pnpm train`, `sweep/sweep-main.ts` `pnpm sweep`,
 * `worker/worker-main.ts` `pnpm worker`) with these flags, as its own process.
 */
export function runTrainerProgram(
  program: string,
  args: string[],
  env: Record<string, string | undefined>,
): TrainerProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'apps', 'trainer', 'src', program), ...args],
    {
      cwd: repoRoot,
      env: { ...inheritedEnv(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
    for (const w of waiters) w();
  });
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  const events = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown> & { event: string });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    events,
    exited,
    waitFor(event, predicate = () => true) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events().find((e) => e.event === event && predicate(e));
          if (found) resolve(found);
        };
        waiters.push(check);
        check();
        exited.then(() => {
          check();
          reject(new Error(`${program} exited before a "${event}" event:\n${out}\n${err}`));
        });
      });
    },
  };
}
