import { type ChildProcess, spawn } from 'node:child_process';

export interface ProgramOptions {
  /** The program's TypeScript entry (run with `node --import tsx`), or any script for node. */
  entry: string;
  args?: string[];
  /** Its package's folder, so that `--import tsx` resolves from its dependencies. */
  cwd: string;
  /** The whole environment the program gets. */
  env: Record<string, string | undefined>;
  /** Run the entry through tsx (default true). */
  tsx?: boolean;
}

export interface ProgramProcess {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they came. */
  output(): string;
  /** The exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Signals the program (default SIGTERM) unless it has exited, and waits for its exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

function spawnProgram(options: ProgramOptions): ChildProcess {
  const tsx = options.tsx === false ? [] : ['--import', 'tsx'];
  // One node process, no wrapper: its pid is the program's, and signals reach it.
  return spawn(process.execPath, [...tsx, options.entry, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: options.env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * Starts one of trainbook's programs as its own process and resolves once its output matches
 * `ready` (e.g. the tracker's "listening on http://…"), with that match; rejects with the
 * output so far if it exits first.
 */
export function startProgram(
  options: ProgramOptions & { ready: RegExp },
): Promise<ProgramProcess & { ready: RegExpMatchArray }> {
  const child = spawnProgram(options);
  let out = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const stop = (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return new Promise((resolve, reject) => {
    let resolved = false;
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = resolved ? null : out.match(options.ready);
      if (match) {
        resolved = true;
        resolve({ child, output: () => out, exited, stop, ready: match });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    exited.then((code) => {
      if (!resolved) reject(new Error(`${options.entry} exited with ${code}:\n${out}`));
    });
  });
}

/** Runs a program until it exits by itself (bad settings, a held lock), with its output. */
export async function runProgramToExit(
  options: ProgramOptions,
): Promise<{ code: number | null; output: string }> {
  const child = spawnProgram(options);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  return { code, output };
}
