import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createTrackerClient, type TrackerClient } from '@trainbook/api/client';
import { startProgram } from '@trainbook/host';
import { type Browser, chromium } from 'playwright-core';

const appDir = join(import.meta.dirname, '..');
const trackerMain = join(appDir, '..', 'tracker', 'src', 'main.ts');

/** A port nobody is listening on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A program of ours as its own process, ready once its output matches `ready`. */
function start(options: {
  entry: string;
  args?: string[];
  tsx?: boolean;
  cwd: string;
  env: Record<string, string>;
  ready: RegExp;
}) {
  // biome-ignore lint/style/noProcessEnv: the child inherits this environment
  return startProgram({ ...options, env: { ...process.env, ...options.env } });
}

/** The real tracker program (its own process) on a given port, over the given database. */
export async function startTracker(options: { databaseUrl: string; port: number }) {
  const tracker = await start({
    entry: trackerMain,
    cwd: join(appDir, '..', 'tracker'),
    env: {
      PORT: String(options.port),
      DATABASE_URL: options.databaseUrl,
      TRACKER_HEARTBEAT_TIMEOUT: '3600',
    },
    ready: /listening on http/,
  });
  return { ...tracker, url: `http://127.0.0.1:${options.port}/trpc` };
}

/**
 * The production build of the dashboard (`next start`), pointed at a tracker. `appDir` serves
 * another build (the bench's baseline); by default, this app's.
 */
export async function startDashboard(options: { trackerUrl: string; appDir?: string }) {
  const dir = options.appDir ?? appDir;
  if (!existsSync(join(dir, '.next', 'BUILD_ID'))) {
    throw new Error(
      `No production build of the dashboard in ${dir}: run \`pnpm --filter @trainbook/dashboard build\` first.`,
    );
  }
  const port = await freePort();
  const next = join(appDir, 'node_modules', 'next', 'dist', 'bin', 'next');
  const server = await start({
    entry: next,
    args: ['start', '--port', String(port), '--hostname', '127.0.0.1'],
    tsx: false,
    cwd: dir,
    env: { TRACKER_URL: options.trackerUrl, NEXT_TELEMETRY_DISABLED: '1' },
    ready: /Ready in|ready started/i,
  });
  return { ...server, url: `http://127.0.0.1:${port}` };
}

/** Debian's chromium, with the flags that keep it off the (closed) network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export function client(url: string): TrackerClient {
  return createTrackerClient({ url });
}

/** Keras-like curves: accuracy rising towards a ceiling, loss falling, val a little behind. */
export function epochPoints(options: {
  from: number;
  to: number;
  ceiling?: number;
  seed?: number;
}) {
  const ceiling = options.ceiling ?? 0.88;
  const wobble = (e: number, k: number) => Math.sin(e * 1.7 + (options.seed ?? 0) + k) * 0.008;
  const points = [];
  for (let epoch = options.from; epoch < options.to; epoch++) {
    const progress = 1 - Math.exp(-(epoch + 1) / 4);
    const acc = 0.35 + (ceiling - 0.35) * progress + wobble(epoch, 0);
    const valAcc = acc - 0.03 - 0.004 * epoch + wobble(epoch, 2);
    const loss = 1.9 * (1 - progress) + 0.35 + (0.88 - ceiling) * 2 + wobble(epoch, 1);
    const valLoss = loss + 0.08 + 0.01 * epoch + wobble(epoch, 3);
    for (const [key, value] of [
      ['accuracy', acc],
      ['val_accuracy', valAcc],
      ['loss', loss],
      ['val_loss', valLoss],
      ['lr', 1e-4],
    ] as const) {
      points.push({ key, step: epoch, epoch, value });
    }
  }
  return points;
}

/** Per-batch points for the epochs given (steps are global batch indices). */
export function batchPoints(options: { epochs: number; batchesPerEpoch: number }) {
  const points = [];
  for (let step = 0; step < options.epochs * options.batchesPerEpoch; step++) {
    const t = step / options.batchesPerEpoch;
    const noise = Math.sin(step * 12.9898) * 0.05;
    points.push({
      key: 'batch/loss',
      step,
      epoch: Math.floor(t),
      value: 0.4 + 1.8 * Math.exp(-t / 3) + noise,
    });
    points.push({
      key: 'batch/accuracy',
      step,
      epoch: Math.floor(t),
      value: 0.88 - 0.5 * Math.exp(-t / 3) + noise / 2,
    });
  }
  return points;
}

/** How many canvas pixels are (nearly) this colour: proof a line was drawn, not just axes. */
export const countColourPixels = `(([selector, rgb]) => {
  const canvas = document.querySelector(selector + ' canvas');
  if (!canvas) return -1;
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i + 3] > 128 && Math.abs(data[i] - rgb[0]) < 40 && Math.abs(data[i + 1] - rgb[1]) < 40 && Math.abs(data[i + 2] - rgb[2]) < 40) n++;
  }
  return n;
})`;

/**
 * Postgres database, real tracker, production dashboard and chromium, for one spec file;
 * `stop()` takes them down in reverse.
 */
export async function startStack() {
  const { createTestDatabase } = await import('@trainbook/db/testing');
  const database = await createTestDatabase();
  const trackerPort = await freePort();
  const [tracker, browser] = await Promise.all([
    startTracker({ databaseUrl: database.url, port: trackerPort }),
    launchChromium(),
  ]);
  const dashboard = await startDashboard({ trackerUrl: tracker.url });
  const page = await (
    await browser.newContext({ viewport: { width: 1280, height: 900 } })
  ).newPage();
  // Under a test's own 30 s, so that a step that never happens fails naming its locator.
  page.setDefaultTimeout(12_000);
  const stack = {
    api: client(tracker.url),
    browser,
    dashboard,
    page,
    tracker,
    /** Starts the tracker again on its port and database (after a test stopped it). */
    async restartTracker() {
      stack.tracker = await startTracker({ databaseUrl: database.url, port: trackerPort });
    },
    async stop() {
      await browser.close();
      await dashboard.stop();
      await stack.tracker.stop();
      await database.drop();
    },
  };
  return stack;
}
