import { join } from 'node:path';
import { type ProgramProcess, runProgramToExit, startProgram } from '@trainbook/host';

const main = join(import.meta.dirname, 'main.ts');
const cwd = join(import.meta.dirname, '..');

export interface TrackerProcess extends ProgramProcess {
  url: string;
}

// biome-ignore lint/style/noProcessEnv: the child inherits this environment
const inherited = () => ({ ...process.env, PORT: '0' });

/**
 * Starts the real tracker as its own process and waits for its "listening on" line.
 * For tests and benchmarks.
 */
export async function spawnTracker(
  env: Record<string, string | undefined>,
): Promise<TrackerProcess> {
  const program = await startProgram({
    entry: main,
    cwd,
    env: { ...inherited(), ...env },
    ready: /listening on (http:\/\/\S+)/,
  });
  return { ...program, url: program.ready[1]! };
}

/** Runs the tracker until it exits by itself (bad settings, a held lock). */
export function runTrackerToExit(
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; output: string }> {
  return runProgramToExit({ entry: main, cwd, env: { ...inherited(), ...env } });
}
