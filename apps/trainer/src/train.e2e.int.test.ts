import { lookup } from 'node:dns/promises';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTrackerClient, type TrackerClient } from '@trainbook/api/client';
import { createTestDatabase, postgresUnavailable } from '@trainbook/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFixtureArchive } from './data/testing/cifar10-fixture.js';
import { ensureTracker } from './reporting/ensure-tracker.js';
import { replaySpool } from './reporting/replay.js';
import { runTrainer, startTracker, type TrackerProcess } from './testing/processes.js';

// 50 training images (5 a class) and 20 validation images: an epoch takes a second or two on wasm.
const epochKeys = [
  'loss',
  'accuracy',
  'val_loss',
  'val_accuracy',
  'lr',
  'epoch_seconds',
  'images_per_second',
];

/** With internet the weights would really download: that test is for machines without. */
const resolves = (host: string) =>
  lookup(host).then(
    () => true,
    () => false,
  );

const online = await resolves('storage.googleapis.com');

let work: string;
let archive: string;
const fast = (home: string) => ({
  TRAINBOOK_HOME: home,
  TRAINBOOK_HEARTBEAT_SECONDS: '0.5',
  TRAINBOOK_FLUSH_SECONDS: '30',
});
const flags = (tracker: string, more: string[] = []) => [
  '--data',
  archive,
  '--weights',
  'none',
  '--backend',
  'wasm',
  '--batch-size',
  '10',
  '--json',
  '--tracker',
  tracker,
  ...more,
];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'trainbook-trainer-e2e-'));
  archive = await writeFixtureArchive(work, {
    trainRecords: [10, 10, 10, 10, 10],
    testRecords: 20,
  });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function pointsOf(client: TrackerClient, runId: string) {
  const keys = await client.metric.keys.query({ runId });
  return Object.fromEntries(keys.map((k) => [k.key, k.count]));
}

async function epochSteps(client: TrackerClient, runId: string) {
  const series = await client.metric.series.query({
    runIds: [runId],
    keys: epochKeys,
    maxPoints: 10_000,
  });
  return Object.fromEntries(series.map((s) => [s.key, s.points.map((p) => p.step)]));
}

const waitUntil = async (what: string, check: () => Promise<boolean>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe.skipIf(postgresUnavailable)('trainer → tracker process → Postgres', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let tracker: TrackerProcess;
  let client: TrackerClient;
  const trackerEnv = () => ({ DATABASE_URL: database.url, TRACKER_HEARTBEAT_TIMEOUT: '2' });

  beforeAll(async () => {
    database = await createTestDatabase();
    tracker = await startTracker(trackerEnv());
    client = createTrackerClient({ url: tracker.url });
  });
  afterAll(async () => {
    await tracker?.stop();
    await database?.drop();
  });

  it('records a run: params, env, every epoch, batch points, status finished, confusion matrix, model', async () => {
    const home = await mkdtemp(join(work, 'home-'));
    const trainer = runTrainer(
      flags(tracker.url, ['--epochs', '2', '--name', 'e2e', '--tag', 'e2e', '--seed', '7']),
      fast(home),
    );
    const { code } = await trainer.exited;
    expect(code, trainer.stderr()).toBe(0);
    const summary = trainer.events().find((e) => e.event === 'summary')!;
    // Each epoch line carries the CPU time the epoch took, all threads (what bench/keras.ts
    // compares on a busy machine).
    const epochLines = trainer.events().filter((e) => e.event === 'epoch');
    expect(epochLines).toHaveLength(2);
    for (const line of epochLines) expect(line.cpuSeconds).toBeGreaterThan(0);
    const runId = summary.runId as string;
    const run = await client.run.get.query({ runId });
    expect(run.status).toBe('finished');
    expect(run.name).toBe('e2e');
    expect(run.tags.map((t) => t.name)).toEqual(['e2e']);
    expect(run.params).toMatchObject({
      epochs: 2,
      batchSize: 10,
      optimizer: 'rmsprop',
      lr: 0.001,
      trainableFrom: 'block5_conv1',
      denseUnits: 512,
      weights: 'none',
      seed: 7,
      trainImages: 50,
      validationImages: 20,
    });
    expect(run.env).toMatchObject({
      backend: 'wasm',
      featureCache: { used: true },
      frozen: { engine: 'onnx', path: 'feature cache' },
      seed: 7,
    });
    expect(run.env.datasetHash).toMatch(/^[0-9a-f]{64}$/);
    expect(run.summary).toMatchObject({ epochs: 2, bestEpoch: expect.any(Number) });
    expect(
      (run.summary as { final: { val_accuracy: number } }).final.val_accuracy,
    ).toBeGreaterThanOrEqual(0);
    // The trainer prints the same diagnosis the tracker keeps on the run.
    const printed = (summary.findings as { kind: string }[]).map((f) => f.kind);
    expect(printed).toEqual(run.insights.kinds);

    const steps = await epochSteps(client, runId);
    for (const key of epochKeys) expect(steps[key], key).toEqual([1, 2]);
    const counts = await pointsOf(client, runId);
    expect(counts['batch/loss']).toBeGreaterThanOrEqual(1);
    const reporting = trainer.events().find((e) => e.event === 'reporting')!;
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(reporting.points);

    const artifacts = await client.artifact.list.query({ runId });
    const matrixRow = artifacts.find((a) => a.kind === 'confusion_matrix')!;
    const matrix = await client.artifact.get.query({ id: matrixRow.id });
    const content = JSON.parse(Buffer.from(matrix.contentBase64!, 'base64').toString()) as {
      classes: string[];
      matrix: number[][];
    };
    expect(content.classes).toHaveLength(10);
    // fit's own last validation pass, not a second one.
    expect(matrixRow.meta).toMatchObject({ from: 'last epoch', epoch: 2, images: 20 });
    expect(content.matrix.map((row) => row.reduce((a, b) => a + b, 0))).toEqual(
      new Array(10).fill(2),
    );
    expect(artifacts.map((a) => a.kind).sort()).toEqual([
      'confusion_matrix',
      'model',
      'per_class_accuracy',
    ]);
    const model = artifacts.find((a) => a.kind === 'model')!;
    // tfjs layers format: model.json's manifest accounts for every byte of weights.bin.
    const modelJson = JSON.parse(readFileSync(new URL(model.location!), 'utf8')) as {
      modelTopology: unknown;
      weightsManifest: { paths: string[]; weights: { shape: number[]; dtype: string }[] }[];
    };
    const specBytes = modelJson.weightsManifest[0]!.weights.reduce(
      (n, w) => n + w.shape.reduce((a, b) => a * b, 1) * 4,
      0,
    );
    const weightsFile = new URL('weights.bin', model.location!);
    expect(statSync(weightsFile).size).toBe(specBytes);
    expect(model.size).toBe(statSync(new URL(model.location!)).size + specBytes);
    expect(model.sha256).toMatch(/^[0-9a-f]{64}$/);
    // Everything delivered: the spool is gone.
    expect(await readdir(join(home, 'spool'))).toEqual([]);
  });

  it('delivers every point exactly once when the tracker is killed mid-run and restarted', async () => {
    const home = await mkdtemp(join(work, 'home-'));
    const trainer = runTrainer(flags(tracker.url, ['--epochs', '4']), fast(home));
    await trainer.waitFor('epoch', (e) => e.epoch === 1);
    const port = tracker.port;
    await tracker.stop('SIGKILL');
    // Training goes on while nothing answers.
    await trainer.waitFor('epoch', (e) => e.epoch === 2);
    tracker = await startTracker(trackerEnv(), port);
    client = createTrackerClient({ url: tracker.url });
    const { code } = await trainer.exited;
    expect(code, trainer.stderr()).toBe(0);
    const runId = trainer.events().find((e) => e.event === 'summary')!.runId as string;
    expect((await client.run.get.query({ runId })).status).toBe('finished');
    const steps = await epochSteps(client, runId);
    for (const key of epochKeys) expect(steps[key], key).toEqual([1, 2, 3, 4]);
    const counts = await pointsOf(client, runId);
    const reporting = trainer.events().find((e) => e.event === 'reporting')!;
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(reporting.points);
    expect(reporting.pendingPoints).toBe(0);
    expect(
      trainer
        .events()
        .some((e) => e.event === 'warning' && /tracker unreachable/.test(String(e.message))),
    ).toBe(true);
  });

  it('a run that fails after it started is recorded failed, with the error', async () => {
    const home = await mkdtemp(join(work, 'home-'));
    // The model cannot be saved: where its folder should go there is a file.
    await writeFile(join(home, 'runs'), 'not a folder');
    const trainer = runTrainer(flags(tracker.url, ['--epochs', '1']), fast(home));
    const { code } = await trainer.exited;
    expect(code).toBe(1);
    const summary = trainer.events().find((e) => e.event === 'summary')!;
    expect(summary.status).toBe('failed');
    const run = await client.run.get.query({ runId: summary.runId as string });
    expect(run.status).toBe('failed');
    expect(run.statusReason).toMatch(/ENOTDIR|EEXIST/);
    expect(run.summary).toMatchObject({ epochs: 1 });
    expect(trainer.stderr() + trainer.stdout()).toMatch(/ENOTDIR|EEXIST/);
  });

  it('Ctrl-C: stops after the current batch, flushes, and the run is killed', async () => {
    const home = await mkdtemp(join(work, 'home-'));
    const trainer = runTrainer(flags(tracker.url, ['--epochs', '50']), fast(home));
    await trainer.waitFor('epoch', (e) => e.epoch === 1);
    trainer.child.kill('SIGINT');
    const { code } = await trainer.exited;
    expect(code, trainer.stderr()).toBe(130);
    const runId = trainer.events().find((e) => e.event === 'summary')!.runId as string;
    const run = await client.run.get.query({ runId });
    expect(run.status).toBe('killed');
    expect(run.statusReason).toMatch(/Ctrl-C/);
    const epochs = (run.summary as { epochs: number }).epochs;
    expect(epochs).toBeGreaterThanOrEqual(1);
    expect(epochs).toBeLessThan(50);
    const steps = await epochSteps(client, runId);
    expect(steps.val_accuracy).toEqual(Array.from({ length: epochs }, (_, i) => i + 1));
    const counts = await pointsOf(client, runId);
    const reporting = trainer.events().find((e) => e.event === 'reporting')!;
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(reporting.points);
    expect(await readdir(join(home, 'spool'))).toEqual([]);
  });

  it('SIGKILL of the trainer: the tracker marks the run crashed; pnpm sync sends what was left', async () => {
    const home = await mkdtemp(join(work, 'home-'));
    const trainer = runTrainer(flags(tracker.url, ['--epochs', '50']), fast(home));
    const started = await trainer.waitFor('info', (e) => typeof e.runId === 'string');
    const runId = started.runId as string;
    await trainer.waitFor('epoch', (e) => e.epoch === 1);
    trainer.child.kill('SIGKILL');
    await trainer.exited;
    await waitUntil(
      'the run to be marked crashed',
      async () => (await client.run.get.query({ runId })).status === 'crashed',
      15_000,
    );
    // The journal is still there (no final status) and replays without doubling anything.
    expect(existsSync(join(home, 'spool', `${runId}.jsonl`))).toBe(true);
    const before = await pointsOf(client, runId);
    const results = await replaySpool({
      spoolDir: join(home, 'spool'),
      trackerUrl: tracker.url,
      timeoutMs: 10_000,
    });
    expect(results).toMatchObject([{ runId, outcome: expect.stringMatching(/sent|nothing-new/) }]);
    const after = await pointsOf(client, runId);
    expect(after.val_accuracy).toBeGreaterThanOrEqual(before.val_accuracy ?? 0);
    expect((await client.run.get.query({ runId })).status).toBe('crashed');
    expect(existsSync(join(home, 'spool', `${runId}.jsonl`))).toBe(false);
  });
});

describe('trainer on the embedded store (PGlite), tracker started on demand', () => {
  it('starts a tracker in the background when none answers, and the run lands there', async () => {
    const home = await mkdtemp(join(work, 'home-'));
    // A free port, as the default 4100 may be taken on a shared machine.
    const probe = await startTracker({ TRAINBOOK_HOME: await mkdtemp(join(work, 'probe-')) });
    const port = probe.port;
    await probe.stop();
    const url = `http://127.0.0.1:${port}/trpc`;
    const logs: string[] = [];
    const started = await ensureTracker({
      trackerUrl: url,
      home,
      autoStart: true,
      env: {},
      log: (l) => logs.push(l),
    });
    expect(started.kind, logs.join('\n')).toBe('started');
    const pid = started.kind === 'started' ? started.pid : 0;
    try {
      expect(logs.join('\n')).toMatch(/starting one in the background/);
      // A second call finds it running and starts nothing.
      expect(
        (await ensureTracker({ trackerUrl: url, home, autoStart: true, env: {}, log: () => {} }))
          .kind,
      ).toBe('running');
      const trainer = runTrainer(flags(url, ['--epochs', '1']), fast(home));
      const { code } = await trainer.exited;
      expect(code, trainer.stderr()).toBe(0);
      const runId = trainer.events().find((e) => e.event === 'summary')!.runId as string;
      const client = createTrackerClient({ url });
      expect((await client.run.get.query({ runId })).status).toBe('finished');
      expect((await epochSteps(client, runId)).val_loss).toEqual([1]);
      expect(existsSync(join(home, 'tracker.log'))).toBe(true);
    } finally {
      process.kill(pid, 'SIGTERM');
      await waitUntil(
        'the tracker to stop',
        async () => {
          try {
            process.kill(pid, 0);
            return false;
          } catch {
            return true;
          }
        },
        15_000,
      );
    }
  });
});

describe('trainer errors', () => {
  it('a corrupt archive: a clear error naming the file, exit 1, no run', async () => {
    const bad = join(work, 'corrupt.tar.gz');
    await writeFile(bad, Buffer.from('this is not a gzip file at all'));
    const home = await mkdtemp(join(work, 'home-'));
    const trainer = runTrainer(
      ['--data', bad, '--weights', 'none', '--offline', '--epochs', '1'],
      fast(home),
    );
    const { code } = await trainer.exited;
    expect(code).toBe(1);
    expect(trainer.stderr()).toContain(bad);
    expect(existsSync(join(home, 'spool'))).toBe(false);
  });

  it('a --weights file that is not HDF5: one clear line, before any data is read', async () => {
    const weights = join(work, 'notes.h5');
    await writeFile(weights, 'not weights\n'.repeat(1000));
    // The data would fail too: the weights must be checked (and named) first.
    const data = join(work, 'never-read.tar.gz');
    await writeFile(data, Buffer.from('this is not a gzip file at all'));
    const home = await mkdtemp(join(work, 'home-'));
    const trainer = runTrainer(
      ['--data', data, '--weights', weights, '--offline', '--epochs', '1', '--backend', 'wasm'],
      fast(home),
    );
    const { code } = await trainer.exited;
    expect(code).toBe(1);
    const err = trainer.stderr();
    expect(err).toContain(`${weights} is not an HDF5 file`);
    expect(err).not.toContain('HDF5-DIAG');
    expect(err).not.toContain(data);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it.skipIf(online)(
    '--weights imagenet without network or cache: says how to get the file',
    async () => {
      const home = await mkdtemp(join(work, 'home-'));
      const trainer = runTrainer(
        ['--data', archive, '--offline', '--epochs', '1', '--backend', 'wasm'],
        {
          ...fast(home),
          TRAINBOOK_CACHE_DIR: join(home, 'cache'),
        },
      );
      const { code } = await trainer.exited;
      expect(code).toBe(1);
      const err = trainer.stderr();
      expect(err).toContain('vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5');
      expect(err).toContain('--weights <path>');
      expect(err).toContain('--weights none');
    },
  );
});
