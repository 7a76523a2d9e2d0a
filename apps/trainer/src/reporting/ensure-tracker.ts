import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from this file's place in apps/trainer/src/reporting. */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** The tracker program, run by path: apps never import each other's code. */
export const trackerMain = join(repoRoot, 'apps', 'tracker', 'src', 'main.ts');

/** The /health address beside a tRPC URL (http://host:port/trpc → http://host:port/health). */
export function healthUrl(trackerUrl: string): string {
  const url = new URL(trackerUrl);
  url.pathname = `${url.pathname.replace(/\/trpc\/?$/, '')}/health`;
  url.pathname = url.pathname.replace(/\/\/+/g, '/');
  return url.toString();
}

/**
 * Whether the tracker answers GET /health with ok within `timeoutMs`, and if not, why
 * (connection refused, a port fetch refuses to use, a timeout, a bad answer).
 */
export async function trackerHealth(
  trackerUrl: string,
  timeoutMs = 1500,
): Promise<{ ok: true } | { ok: false; why: string }> {
  try {
    const response = await fetch(healthUrl(trackerUrl), { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return { ok: false, why: `it answered HTTP ${response.status}` };
    const body = (await response.json()) as { ok?: boolean };
    return body.ok === true ? { ok: true } : { ok: false, why: 'its answer is not ok' };
  } catch (error) {
    const { message, cause } = error as Error & { cause?: { message?: string; code?: string } };
    const detail = cause?.code ?? cause?.message;
    return { ok: false, why: detail ? `${message}: ${detail}` : message };
  }
}

/** True when the tracker answers GET /health with ok within `timeoutMs`. */
export async function trackerHealthy(trackerUrl: string, timeoutMs = 1500): Promise<boolean> {
  return (await trackerHealth(trackerUrl, timeoutMs)).ok;
}

export interface EnsureTrackerOptions {
  trackerUrl: string;
  /** TRAINBOOK_HOME: the tracker's store, its log (tracker.log) and pid file (tracker.pid). */
  home: string;
  /** Start a tracker when none answers (the default local URL only). */
  autoStart: boolean;
  /** The environment the tracker gets (PORT, HOST and TRAINBOOK_HOME are set from the URL). */
  env: Record<string, string | undefined>;
  /** How long to wait for a started tracker's /health. */
  timeoutMs?: number;
  log: (line: string) => void;
}

export type EnsureTrackerResult =
  | { kind: 'running' }
  | { kind: 'started'; pid: number; log: string }
  | { kind: 'unreachable'; reason: string };

/**
 * Makes sure a tracker answers at `trackerUrl`. When none does and `autoStart` is set, starts
 * one in the background — its own detached process, so it outlives this run and serves the
 * dashboard — with its output in TRAINBOOK_HOME/tracker.log, and waits for /health. If another
 * trainer starts one at the same moment, the embedded store's lock lets only one of them own
 * it; the other exits ("in use") and both find the winner on /health.
 */
export async function ensureTracker(options: EnsureTrackerOptions): Promise<EnsureTrackerResult> {
  const health = await trackerHealth(options.trackerUrl);
  if (health.ok) return { kind: 'running' };
  if (!options.autoStart) {
    return {
      kind: 'unreachable',
      reason: `no tracker answers ${healthUrl(options.trackerUrl)} (${health.why})`,
    };
  }
  if (!existsSync(trackerMain)) {
    return { kind: 'unreachable', reason: `cannot start a tracker: ${trackerMain} is missing` };
  }
  const url = new URL(options.trackerUrl);
  mkdirSync(options.home, { recursive: true });
  const logPath = join(options.home, 'tracker.log');
  const out = openSync(logPath, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', trackerMain], {
    // The tracker's own folder, so `--import tsx` resolves from its dependencies.
    cwd: join(repoRoot, 'apps', 'tracker'),
    env: {
      ...options.env,
      HOST: url.hostname,
      PORT: url.port || '80',
      TRAINBOOK_HOME: options.home,
    },
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  let exitCode: number | null | undefined;
  child.on('exit', (code) => {
    exitCode = code;
  });
  child.unref();
  const pid = child.pid!;
  options.log(
    `no tracker at ${healthUrl(options.trackerUrl)}: starting one in the background (pid ${pid}, log ${logPath})`,
  );
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (await trackerHealthy(options.trackerUrl, 1000)) {
      if (exitCode !== undefined) {
        // Ours lost the race for the store or the port; another tracker serves.
        return { kind: 'running' };
      }
      writeFileSync(join(options.home, 'tracker.pid'), `${pid}\n`);
      return { kind: 'started', pid, log: logPath };
    }
    if (exitCode !== undefined && !lostRace(logPath)) {
      return {
        kind: 'unreachable',
        reason: `the tracker exited with code ${exitCode}; see ${logPath}:\n${tail(logPath)}`,
      };
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  return {
    kind: 'unreachable',
    reason: `the tracker (pid ${pid}) did not answer ${healthUrl(options.trackerUrl)} within ${(options.timeoutMs ?? 60_000) / 1000} s; see ${logPath}`,
  };
}

/** The started tracker exited because another one holds the store or the port. */
function lostRace(logPath: string): boolean {
  return /in use by process|EADDRINUSE/.test(tail(logPath));
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-8).join('\n');
  } catch {
    return '';
  }
}
