import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTrackerClient } from '@trainbook/api/client';
import { createTestDatabase, postgresUnavailable } from '@trainbook/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrackerToExit, spawnTracker, type TrackerProcess } from './spawn-tracker.js';

type Proc = TrackerProcess;
const startProcess = spawnTracker;
const runToExit = runTrackerToExit;

function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const stop = (proc: Proc) => proc.stop();

describe('tracker process', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'trainbook-tracker-'));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it('refuses bad settings with a message naming the variable', async () => {
    const badPort = await runToExit({ PORT: 'abc', TRAINBOOK_HOME: home });
    expect(badPort.code).toBe(2);
    expect(badPort.output).toMatch(/PORT: expected a port number from 0 to 65535 \(got "abc"\)/);
    const open = await runToExit({ HOST: '0.0.0.0', TRAINBOOK_HOME: home });
    expect(open.code).toBe(2);
    expect(open.output).toMatch(/HOST: binding a non-loopback address .* set TRACKER_TOKEN/);
    const url = await runToExit({ DATABASE_URL: 'mysql://x', TRAINBOOK_HOME: home });
    expect(url.output).toMatch(/DATABASE_URL: expected postgresql:\/\//);
    const pool = await runToExit({ TRACKER_DB_POOL: '0', TRAINBOOK_HOME: home });
    expect(pool.code).toBe(2);
    expect(pool.output).toMatch(
      /TRACKER_DB_POOL: expected a number of connections from 1 to 1000 \(got "0"\)/,
    );
  });

  it('owns the embedded store alone; a second tracker names the first one’s pid', async () => {
    const first = await startProcess({ TRAINBOOK_HOME: home });
    const second = await runToExit({ TRAINBOOK_HOME: home });
    expect(second.code).toBe(2);
    expect(second.output).toContain(`in use by process ${first.child.pid}`);
    expect(await stop(first)).toBe(0);
  });

  it('finishes in-flight writes on SIGTERM, and the data survives a restart', async () => {
    const first = await startProcess({ TRAINBOOK_HOME: home });
    const client = createTrackerClient({ url: first.url });
    await client.run.create.mutate({ id: 'graceful' });
    const body = JSON.stringify({
      json: {
        runId: 'graceful',
        columns: {
          key: 'loss',
          step: Array.from({ length: 10_000 }, (_, i) => i),
          value: Array.from({ length: 10_000 }, (_, i) => i / 10),
        },
      },
    });
    // `Expect: 100-continue`: the server answers "continue" once it has taken the request,
    // and only then does the body go out. So SIGTERM arrives while this write is in flight.
    const request = http.request(`${first.url}/metric.logBatch`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        expect: '100-continue',
      },
    });
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      request.on('error', reject);
      request.on('response', (response) => {
        let text = '';
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      });
    });
    request.flushHeaders();
    await new Promise<void>((taken) => request.once('continue', taken));
    first.child.kill('SIGTERM');
    await new Promise<void>((said) => {
      const check = () => first.output().includes('SIGTERM: finishing in-flight writes') && said();
      first.child.stdout?.on('data', check);
      check();
    });
    request.end(body);
    const answer = await answered;
    expect(answer.status, answer.text).toBe(200);
    expect(answer.text).toContain('"inserted":10000');
    expect(await first.exited).toBe(0);
    const second = await startProcess({ TRAINBOOK_HOME: home });
    const keys = await createTrackerClient({ url: second.url }).metric.keys.query({
      runId: 'graceful',
    });
    expect(keys[0]?.count).toBe(10_000);
    await stop(second);
  }, 300_000); // two tracker starts and a store close on the embedded store: slow on a busy machine
});

describe.skipIf(postgresUnavailable)('with a token, on Postgres', () => {
  let proc: Proc;
  let drop: () => Promise<void>;
  const token = 'a-long-enough-secret-token';
  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    proc = await startProcess({
      DATABASE_URL: db.url,
      TRACKER_TOKEN: token,
      TRACKER_HEARTBEAT_TIMEOUT: '1',
    });
  });
  afterAll(async () => {
    await stop(proc);
    await drop();
  });

  it('answers /health', async () => {
    const health = await (await fetch(proc.url.replace('/trpc', '/health'))).json();
    expect(health).toMatchObject({ ok: true, store: 'postgres' });
  });

  it('needs the token for changes, not for reads', async () => {
    const anonymous = createTrackerClient({ url: proc.url });
    await expect(anonymous.run.create.mutate({ id: 'x' })).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });
    const wrong = createTrackerClient({ url: proc.url, token: 'not-the-token-at-all' });
    await expect(wrong.run.create.mutate({ id: 'x' })).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED' },
    });
    const client = createTrackerClient({ url: proc.url, token });
    await client.run.create.mutate({ id: 'x' });
    expect((await anonymous.run.get.query({ runId: 'x' })).id).toBe('x');
  });

  it('marks a silent run crashed, and a heartbeat revives it', async () => {
    const client = createTrackerClient({ url: proc.url, token });
    await client.run.create.mutate({ id: 'silent' });
    let status = 'running';
    for (let i = 0; i < 40 && status === 'running'; i++) {
      await new Promise((done) => setTimeout(done, 100));
      status = (await client.run.get.query({ runId: 'silent' })).status;
    }
    expect(status).toBe('crashed');
    expect(proc.output()).toContain('watchdog: run silent sent no heartbeat');
    expect(await client.run.heartbeat.mutate({ runId: 'silent' })).toMatchObject({
      status: 'running',
      revived: true,
    });
  });

  it('delivers over SSE the points logged after subscribing', async () => {
    const client = createTrackerClient({ url: proc.url, token });
    await client.run.create.mutate({ id: 'live' });
    const received: { type: string; step?: number }[] = [];
    const ready = deferred();
    const done = deferred();
    const sub = client.live.run.subscribe(
      { runId: 'live' },
      {
        onData(event) {
          if (event.type === 'snapshot') ready.resolve();
          if (event.type === 'points')
            for (const p of event.points) received.push({ type: 'point', step: p.step });
          if (event.type === 'status') {
            received.push({ type: event.status });
            done.resolve();
          }
        },
        onError: (error) => done.reject(error),
      },
    );
    await ready.promise;
    await client.metric.logBatch.mutate({
      runId: 'live',
      points: [0, 1, 2].map((step) => ({ key: 'loss', step, value: 1 / (step + 1) })),
    });
    await client.run.finish.mutate({ runId: 'live', status: 'finished' });
    await done.promise;
    sub.unsubscribe();
    expect(received).toEqual([
      { type: 'point', step: 0 },
      { type: 'point', step: 1 },
      { type: 'point', step: 2 },
      { type: 'finished' },
    ]);
  });

  it('limits request bodies', async () => {
    const response = await fetch(`${proc.url}/run.update`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ json: { runId: 'x', notes: 'x'.repeat(40 * 1024 * 1024) } }),
    });
    expect(response.status).toBe(413);
  });
});

describe('the README client script', () => {
  it('lists runs tagged overfitting with their best val_accuracy', async () => {
    const home = await mkdtemp(join(tmpdir(), 'trainbook-example-'));
    const proc = await startProcess({ TRAINBOOK_HOME: home });
    try {
      const client = createTrackerClient({ url: proc.url });
      await client.run.create.mutate({ id: 'e1', name: 'seed-run', tags: ['overfitting'] });
      await client.run.finish.mutate({
        runId: 'e1',
        status: 'finished',
        summary: { bestValAccuracy: 0.61 },
      });
      await client.run.create.mutate({ id: 'e2', name: 'healthy-run' });
      const { execFile } = await import('node:child_process');
      const api = join(import.meta.dirname, '../../../packages/api');
      const output = await new Promise<string>((done, fail) =>
        execFile(
          process.execPath,
          ['--import', 'tsx', 'examples/overfitting-runs.ts'],
          { cwd: api, env: { ...process.env, TRACKER_URL: proc.url } },
          (error, stdout, stderr) => (error ? fail(new Error(stderr)) : done(stdout)),
        ),
      );
      expect(output).toMatch(/seed-run\s+finished\s+best val_accuracy 0\.61/);
      expect(output).not.toContain('healthy-run');
    } finally {
      await proc.stop();
      await rm(home, { recursive: true, force: true });
    }
  });
});
