import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTrackerClient, type TrackerClient } from '@trainbook/api/client';
import { createTestDatabase, postgresUnavailable } from '@trainbook/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedDataDir } from '../data/testing/shared-data.js';
import { startTracker, type TrackerProcess } from '../testing/processes.js';
import { runProgram } from '../testing/sweep-processes.js';

const archive = join(
  sharedDataDir(process.env.TRAINBOOK_SHARED_DATA),
  'cifar-10-binary-10k.tar.gz',
);
const haveData = existsSync(archive);
if (!haveData) console.warn(`Skipping the sweep fault tests: no shared CIFAR-10 at ${archive}`);

/** Six tiny trials on the shared CIFAR-10 (random weights, 100 images a split, 2 epochs). */
const sweepFlags = (tracker: string, name: string, leaseSeconds: number) => [
  '--name',
  name,
  '--tracker',
  tracker,
  '--data',
  archive,
  '--weights',
  'none',
  '--backend',
  'wasm',
  '--subset',
  '100',
  '--batch-size',
  '25',
  '--epochs',
  '2',
  '--dropout',
  '0,0.1,0.2,0.3,0.4,0.5',
  '--lease-seconds',
  String(leaseSeconds),
];

const poll = () => new Promise((done) => setTimeout(done, 250));

/** Waits for a condition on the tracker's state: an event seen by polling, no fixed delay. */
async function until<T>(read: () => Promise<T | null | undefined | false>): Promise<T> {
  for (;;) {
    const value = await read().catch(() => null);
    if (value) return value;
    await poll();
  }
}

describe.skipIf(!haveData)(
  haveData
    ? 'sweeps survive dying workers and trackers (real processes)'
    : `sweeps survive dying workers and trackers (skipped: ${archive} not found; set TRAINBOOK_SHARED_DATA to its folder)`,
  () => {
    let work: string;
    let databaseUrl: string | undefined;
    let dropDatabase: (() => Promise<void>) | undefined;
    let tracker: TrackerProcess;
    const trackerEnv = () => ({
      TRAINBOOK_HOME: join(work, 'tracker'),
      TRACKER_SWEEP_CHECK_SECONDS: '1',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    });
    const workerEnv = (n: number) => ({
      TRAINBOOK_HOME: join(work, `worker-${n}`),
      TRAINBOOK_HEARTBEAT_SECONDS: '1',
      TRAINBOOK_FLUSH_SECONDS: '120',
    });

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'trainbook-sweep-fault-'));
      if (!postgresUnavailable) {
        const database = await createTestDatabase();
        databaseUrl = database.url;
        dropDatabase = database.drop;
      }
      tracker = await startTracker(trackerEnv());
    }, 300_000);
    afterAll(async () => {
      await tracker?.stop();
      await dropDatabase?.();
      await rm(work, { recursive: true, force: true });
    });

    async function createSweep(name: string, leaseSeconds: number): Promise<string> {
      const cli = runProgram('sweep/sweep-main.ts', sweepFlags(tracker.url, name, leaseSeconds), {
        TRAINBOOK_HOME: work,
      });
      expect(await cli.exited).toMatchObject({ code: 0 });
      expect(cli.stdout()).toContain(`sweep ${name}: 6 runs (grid: dropout 6)`);
      return cli.stdout().match(/ id (\S+)/)![1]!;
    }

    const startWorkers = (url: string) =>
      [0, 1, 2].map((n) =>
        runProgram(
          'worker/worker-main.ts',
          ['--tracker', url, '--exit-when-idle', '--json', '--poll-seconds', '1'],
          workerEnv(n),
        ),
      );

    /** Every config finished exactly once, each with all its epochs' points. */
    async function expectEveryConfigOnce(client: TrackerClient, sweepId: string) {
      const sweep = await client.sweep.get.query({ sweepId });
      expect(sweep.status).toBe('finished');
      expect(sweep.counts).toMatchObject({ finished: 6, failed: 0, queued: 0, running: 0 });
      const runs = await client.run.list.query({ sweepId, limit: 100 });
      const finished = runs.items.filter((r) => r.status === 'finished');
      expect(finished.map((r) => r.trialIndex).sort()).toEqual([0, 1, 2, 3, 4, 5]);
      for (const run of finished) {
        expect(run.params.dropout).toBe(run.trialIndex! / 10);
        const keys = Object.fromEntries(
          (await client.metric.keys.query({ runId: run.id })).map((k) => [k.key, k.count]),
        );
        expect(keys).toMatchObject({ loss: 2, val_loss: 2, val_accuracy: 2, accuracy: 2 });
        expect(keys['batch/loss']).toBeGreaterThanOrEqual(1);
      }
      return runs.items;
    }

    it('a worker SIGKILLed mid-trial: its attempt is crashed with the reason, its config trained again, once', async () => {
      const sweepId = await createSweep('fault-worker', 15);
      const client = createTrackerClient({ url: tracker.url });
      const workers = startWorkers(tracker.url);
      // The first worker's run must have reported a batch: then it is mid-trial.
      const claimed = await workers[0]!.waitFor('info', (e) => typeof e.trial === 'number');
      const victimRun = String(claimed.runId);
      await until(async () =>
        (await client.metric.keys.query({ runId: victimRun })).some((k) => k.key === 'batch/loss'),
      );
      workers[0]!.child.kill('SIGKILL');
      expect(await workers[0]!.exited).toMatchObject({ signal: 'SIGKILL' });

      const exits = await Promise.all(workers.slice(1).map((w) => w.exited));
      expect(exits.map((e) => e.code)).toEqual([0, 0]);
      const runs = await expectEveryConfigOnce(client, sweepId);
      const victim = runs.find((r) => r.id === victimRun)!;
      expect(victim.status).toBe('crashed');
      expect(victim.statusReason).toMatch(/stopped renewing its lease on the trial/);
      const retried = runs.find(
        (r) => r.trialIndex === victim.trialIndex && r.status === 'finished',
      )!;
      expect(retried.attempt).toBe(2);
    }, 1_200_000);

    it('the tracker SIGKILLed and restarted mid-sweep: every config still trained once, no points lost', async () => {
      const sweepId = await createSweep('fault-tracker', 120);
      let client = createTrackerClient({ url: tracker.url });
      const workers = startWorkers(tracker.url);
      const claimed = await workers[1]!.waitFor('info', (e) => typeof e.trial === 'number');
      await until(async () =>
        (await client.metric.keys.query({ runId: String(claimed.runId) })).some(
          (k) => k.key === 'batch/loss',
        ),
      );
      const port = tracker.port;
      await tracker.stop('SIGKILL');
      tracker = await startTracker(trackerEnv(), port);
      client = createTrackerClient({ url: tracker.url });

      const exits = await Promise.all(workers.map((w) => w.exited));
      expect(exits.map((e) => e.code)).toEqual([0, 0, 0]);
      const runs = await expectEveryConfigOnce(client, sweepId);
      expect(runs.filter((r) => r.status !== 'finished')).toEqual([]);
    }, 1_200_000);
  },
);
