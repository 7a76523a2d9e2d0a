import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const main = join(import.meta.dirname, 'main.ts');

export interface TrackerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/**
 * Starts the real tracker as its own process (one node process, no tsx wrapper, so its pid
 * is the lock holder's and signals reach it) and waits for its "listening on" line.
 * For tests and benchmarks.
 */
export function spawnTracker(env: Record<string, string | undefined>): Promise<TrackerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    cwd: join(import.meta.dirname, '..'),
    // biome-ignore lint/style/noProcessEnv: the child inherits this environment
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(/listening on (http:\/\/\S+)/);
      if (match) {
        resolve({
          url: match[1]!,
          child,
          output: () => out,
          exited,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    exited.then((code) => reject(new Error(`tracker exited with ${code}:\n${out}`)));
  });
}

/** Runs the tracker until it exits by itself (bad settings, a held lock). */
export function runTrackerToExit(
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main], {
      cwd: join(import.meta.dirname, '..'),
      // biome-ignore lint/style/noProcessEnv: the child inherits this environment
      env: { ...process.env, PORT: '0', ...env },
    });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('exit', (code) => done({ code, output }));
  });
}
