import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTrackerClient } from '@trainbook/api/client';
import { createTestDatabase, postgresUnavailable } from '@trainbook/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTracker, type TrackerProcess } from '../testing/processes.js';
import { ensureTracker, healthUrl, repoRoot } from './ensure-tracker.js';
import { Journal } from './journal.js';
import { replaySpool } from './replay.js';
import { RunReporter } from './run-reporter.js';

let work: string;
let databases: Array<{ drop(): Promise<void> }> = [];
const trackers: TrackerProcess[] = [];

/** A tracker on a fresh store: Postgres when there is a server, else the embedded one. */
async function freshTracker(port = 0): Promise<TrackerProcess> {
  let env: Record<string, string>;
  if (postgresUnavailable) env = { TRAINBOOK_HOME: await mkdtemp(join(work, 'tracker-')) };
  else {
    const database = await createTestDatabase();
    databases.push(database);
    env = { DATABASE_URL: database.url };
  }
  const tracker = await startTracker(env, port);
  trackers.push(tracker);
  return tracker;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'trainbook-reporting-'));
});
afterAll(async () => {
  for (const t of trackers) await t.stop();
  for (const d of databases) await d.drop();
  databases = [];
  await rm(work, { recursive: true, force: true });
});

const runInput = (name: string) => ({
  id: randomUUID(),
  name,
  params: { epochs: 3 },
  env: { backend: 'test' },
  notes: '',
  tags: ['reporting-test'],
  startedAt: new Date(),
});

const epochPoints = (epoch: number) =>
  ['loss', 'accuracy', 'val_loss', 'val_accuracy'].map((key, i) => ({
    key,
    step: epoch,
    epoch,
    value: i === 0 && epoch === 2 ? Number.NaN : epoch / 10 + i,
    wallTime: Date.now(),
  }));

const batchPoints = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({
    key: 'batch/loss',
    step: from + i,
    epoch: 1,
    value: i,
    wallTime: Date.now(),
  }));

async function countPoints(url: string, runId: string) {
  const keys = await createTrackerClient({ url }).metric.keys.query({ runId });
  return Object.fromEntries(keys.map((k) => [k.key, k.count]));
}

describe('RunReporter against a real tracker', () => {
  it('delivers everything in order once the tracker answers, exactly once, and removes the journal', async () => {
    // Learn a free port, then leave nothing listening there.
    const probe = await freshTracker();
    const port = probe.port;
    await probe.stop();
    const url = `http://127.0.0.1:${port}/trpc`;
    const spoolDir = join(work, 'spool-late');
    const run = runInput('late-tracker');
    const states: string[] = [];
    const reporter = new RunReporter({
      spoolDir,
      run,
      trackerUrl: url,
      heartbeatMs: 200,
      minDelayMs: 50,
      maxDelayMs: 300,
      onState: (s) => states.push(s.kind),
    });
    reporter.log(epochPoints(1));
    reporter.log(batchPoints(0, 12_000)); // more than one logBatch call takes
    reporter.log(epochPoints(2));
    await new Promise((done) => setTimeout(done, 500));
    expect(states).toContain('unreachable');
    expect(existsSync(reporter.journal.path)).toBe(true);

    const tracker = await freshTracker(port);
    reporter.log(epochPoints(3));
    reporter.artifact({
      runId: run.id,
      kind: 'confusion_matrix',
      name: 'confusion_matrix.json',
      contentBase64: Buffer.from('{"classes":[],"matrix":[]}').toString('base64'),
    });
    const totals = await reporter.finish({ status: 'finished', summary: { epochs: 3 } }, 30_000);
    expect(totals).toMatchObject({
      points: 12_012,
      sentPoints: 12_012,
      pendingPoints: 0,
      state: 'idle',
    });
    const client = createTrackerClient({ url: tracker.url });
    const stored = await client.run.get.query({ runId: run.id });
    expect(stored).toMatchObject({
      status: 'finished',
      name: 'late-tracker',
      params: { epochs: 3 },
      summary: { epochs: 3 },
    });
    expect(await countPoints(tracker.url, run.id)).toEqual({
      accuracy: 3,
      'batch/loss': 12_000,
      loss: 3,
      val_accuracy: 3,
      val_loss: 3,
    });
    const [loss] = await client.metric.series.query({
      runIds: [run.id],
      keys: ['loss'],
      maxPoints: 10,
    });
    expect(loss!.points.map((p) => p.value)).toEqual([0.1, Number.NaN, 0.3]);
    expect((await client.artifact.list.query({ runId: run.id })).map((a) => a.kind)).toEqual([
      'confusion_matrix',
    ]);
    expect(existsSync(reporter.journal.path)).toBe(false);
  });

  it('keeps sending heartbeats while the run lives', async () => {
    const tracker = await freshTracker();
    const run = runInput('heartbeats');
    const reporter = new RunReporter({
      spoolDir: join(work, 'spool-hb'),
      run,
      trackerUrl: tracker.url,
      heartbeatMs: 100,
    });
    const client = createTrackerClient({ url: tracker.url });
    let first: Date | null = null;
    for (let i = 0; i < 100 && first === null; i++) {
      first = await client.run.get.query({ runId: run.id }).then(
        (r) => r.lastHeartbeatAt,
        () => null,
      );
      if (first === null) await new Promise((done) => setTimeout(done, 100));
    }
    await new Promise((done) => setTimeout(done, 500));
    const later = (await client.run.get.query({ runId: run.id })).lastHeartbeatAt;
    expect(later!.getTime()).toBeGreaterThan(first!.getTime());
    await reporter.finish({ status: 'finished' }, 10_000);
  });
});

describe('offline runs and pnpm sync (replaySpool)', () => {
  it('--offline spools only; sync sends it, says what it sent, and a replayed journal never doubles', async () => {
    const spoolDir = join(work, 'spool-offline');
    const run = runInput('offline');
    const reporter = new RunReporter({ spoolDir, run, trackerUrl: null, heartbeatMs: 1000 });
    reporter.log(epochPoints(1));
    reporter.log(epochPoints(2));
    const totals = await reporter.finish({ status: 'finished', summary: { epochs: 2 } }, 1000);
    expect(totals).toMatchObject({ points: 8, sentPoints: 0, state: 'offline' });
    expect(existsSync(reporter.journal.path)).toBe(true);
    const copy = join(work, 'journal-copy.jsonl');
    copyFileSync(reporter.journal.path, copy);

    const tracker = await freshTracker();
    const results = await replaySpool({ spoolDir, trackerUrl: tracker.url, timeoutMs: 10_000 });
    expect(results).toEqual([
      {
        runId: run.id,
        name: 'offline',
        outcome: 'sent',
        entries: 4,
        points: 8,
        status: 'finished',
        detail: 'final status finished',
      },
    ]);
    expect(existsSync(reporter.journal.path)).toBe(false);
    expect(
      (await createTrackerClient({ url: tracker.url }).run.get.query({ runId: run.id })).status,
    ).toBe('finished');

    // The same journal again (say, restored from a backup): nothing doubles.
    copyFileSync(copy, reporter.journal.path);
    const again = await replaySpool({ spoolDir, trackerUrl: tracker.url, timeoutMs: 10_000 });
    expect(again[0]).toMatchObject({ outcome: 'sent', points: 8 });
    expect(await countPoints(tracker.url, run.id)).toEqual({
      accuracy: 2,
      loss: 2,
      val_accuracy: 2,
      val_loss: 2,
    });
  });

  it('leaves a journal to the trainer still writing it, and keeps journals when the tracker is down', async () => {
    const spoolDir = join(work, 'spool-owned');
    const run = runInput('owned');
    const reporter = new RunReporter({ spoolDir, run, trackerUrl: null, heartbeatMs: 1000 });
    reporter.log(epochPoints(1));
    await reporter.finish({ status: 'finished' }, 1000);
    const journal = new Journal(spoolDir, run.id);
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      writeFileSync(journal.ownerPath, `${other.pid}\n`);
      const tracker = await freshTracker();
      const results = await replaySpool({ spoolDir, trackerUrl: tracker.url, timeoutMs: 5_000 });
      expect(results).toMatchObject([
        { runId: run.id, outcome: 'in-use', detail: expect.stringContaining(String(other.pid)) },
      ]);
    } finally {
      other.kill();
    }
    await new Promise((done) => other.once('exit', done));
    const nowhere = `http://127.0.0.1:9/trpc`;
    const down = await replaySpool({ spoolDir, trackerUrl: nowhere, timeoutMs: 800 });
    expect(down).toMatchObject([{ runId: run.id, outcome: 'unreachable', points: 0 }]);
    expect(existsSync(journal.path)).toBe(true);
  });
});

describe('a report the tracker refuses (pnpm sync)', () => {
  it('is quarantined with a message saying where and why, and never holds up the others', async () => {
    const spoolDir = join(work, 'spool-poisoned');
    const poisoned = { ...runInput('poisoned'), id: `0-${randomUUID()}`, notes: 'a\u0000b' };
    const good = { ...runInput('good'), id: `1-${randomUUID()}` };
    for (const run of [poisoned, good]) {
      const reporter = new RunReporter({ spoolDir, run, trackerUrl: null, heartbeatMs: 1000 });
      reporter.log(epochPoints(1));
      await reporter.finish({ status: 'finished' }, 1000);
    }
    const tracker = await freshTracker();
    const results = await replaySpool({ spoolDir, trackerUrl: tracker.url, timeoutMs: 20_000 });
    const quarantined = join(spoolDir, 'quarantine', `${poisoned.id}.jsonl`);
    expect(results).toMatchObject([
      {
        runId: poisoned.id,
        outcome: 'quarantined',
        detail: expect.stringMatching(/notes: contains a NUL character/),
      },
      { runId: good.id, outcome: 'sent', points: 4 },
    ]);
    expect(results[0]?.detail).toContain(quarantined);
    expect(existsSync(quarantined)).toBe(true);
    expect(readFileSync(join(spoolDir, 'quarantine', `${poisoned.id}.reason.txt`), 'utf8')).toMatch(
      /refused.*\n.*NUL/,
    );
    // The next sync has nothing left to send.
    expect(await replaySpool({ spoolDir, trackerUrl: tracker.url, timeoutMs: 5_000 })).toEqual([]);
  });
});

describe('pnpm sync, the program', () => {
  it('sends what offline runs left, says what it sent, and then has nothing to send', async () => {
    const home = await mkdtemp(join(work, 'sync-home-'));
    const run = runInput('synced');
    const reporter = new RunReporter({
      spoolDir: join(home, 'spool'),
      run,
      trackerUrl: null,
      heartbeatMs: 1000,
    });
    reporter.log(epochPoints(1));
    await reporter.finish({ status: 'finished' }, 1000);
    const tracker = await freshTracker();
    const sync = () =>
      spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          join(repoRoot, 'apps/trainer/src/sync-main.ts'),
          '--',
          '--tracker',
          tracker.url,
        ],
        {
          cwd: repoRoot,
          encoding: 'utf8',
          env: { ...process.env, TRAINBOOK_HOME: home },
        },
      );
    const first = sync();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain(
      `sent run ${run.id} (synced): 3 reports, 4 points; final status finished`,
    );
    expect(first.stdout).toContain('done: 4 points sent');
    const second = sync();
    expect(second.stdout).toContain('nothing to send');
    expect(
      (await createTrackerClient({ url: tracker.url }).run.get.query({ runId: run.id })).status,
    ).toBe('finished');
  });
});

describe('healthUrl', () => {
  it('is /health beside /trpc', () => {
    expect(healthUrl('http://127.0.0.1:4100/trpc')).toBe('http://127.0.0.1:4100/health');
    expect(healthUrl('http://example.test/tracker/trpc/')).toBe(
      'http://example.test/tracker/health',
    );
  });
});

describe('ensureTracker without starting one', () => {
  const unreachable = async (trackerUrl: string) => {
    const result = await ensureTracker({
      trackerUrl,
      home: join(tmpdir(), 'trainbook-unused-home'),
      autoStart: false,
      env: {},
      log: () => {},
    });
    expect(result.kind).toBe('unreachable');
    return (result as { reason: string }).reason;
  };

  it('says why no tracker answers: a closed port, or one that fetch refuses to use', async () => {
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const { port } = closed.address() as AddressInfo;
    await new Promise((done) => closed.close(done));
    expect(await unreachable(`http://127.0.0.1:${port}/trpc`)).toBe(
      `no tracker answers http://127.0.0.1:${port}/health (fetch failed: ECONNREFUSED)`,
    );
    // 4190 is on fetch's list of blocked ports (ManageSieve): it never leaves the process.
    expect(await unreachable('http://127.0.0.1:4190/trpc')).toBe(
      'no tracker answers http://127.0.0.1:4190/health (fetch failed: bad port)',
    );
  });
});
