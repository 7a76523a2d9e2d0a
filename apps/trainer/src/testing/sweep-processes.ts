import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { inheritedEnv } from '../env.js';
import { repoRoot } from '../reporting/ensure-tracker.js';
import type { TrainerProcess } from './processes.js';

/** A trainer-side program (`pnpm sweep`, `pnpm worker`) as its own process, like runTrainer. */
export function runProgram(
  program: 'sweep/sweep-main.ts' | 'worker/worker-main.ts',
  args: string[],
  env: Record<string, string | undefined>,
): TrainerProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'apps', 'trainer', 'src', program), ...args],
    { cwd: repoRoot, env: { ...inheritedEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
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
