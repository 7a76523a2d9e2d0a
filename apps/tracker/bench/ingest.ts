/**
 * Ingest and series benchmark: points/s over HTTP with the real client into Postgres and
 * into PGlite (batches of 1,000 and 10,000), then metric.series latency on a run of
 * 1,000,000 points at maxPoints 1000; and the store's insert alone, in-process. Prints
 * figures; asserts nothing (machines are noisy).
 *
 *   pnpm --filter @trainbook/tracker bench      (Postgres from TEST_DATABASE_URL or 127.0.0.1:5432)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTrackerClient } from '@trainbook/api/client';
import { insertMetricPoints } from '@trainbook/db';
import { createTestDatabase, openTestStore } from '@trainbook/db/testing';
import { spawnTracker } from '../src/spawn-tracker.js';

const total = Number(process.env.BENCH_POINTS ?? 1_000_000);

async function bench(kind: 'postgres' | 'pglite') {
  const db = kind === 'postgres' ? await createTestDatabase() : undefined;
  const home = await mkdtemp(join(tmpdir(), 'trainbook-bench-'));
  // Its own process, as in use: the client's encoding and the server's work overlap.
  const tracker = await spawnTracker({ TRAINBOOK_HOME: home, DATABASE_URL: db?.url });
  const client = createTrackerClient({ url: tracker.url });
  const rows: string[] = [];
  try {
    const cases = [
      { batch: 1_000, form: 'columns', inFlight: 2 },
      { batch: 1_000, form: 'columns', inFlight: 4 },
      { batch: 10_000, form: 'objects', inFlight: 1 },
      { batch: 10_000, form: 'columns', inFlight: 1 },
      { batch: 10_000, form: 'columns', inFlight: 2 },
      { batch: 10_000, form: 'columns', inFlight: 4 },
    ] as const;
    for (const { batch, form, inFlight } of cases) {
      const runId = `ingest-${batch}-${form}-${inFlight}`;
      await client.run.create.mutate({ id: runId });
      const n = batch === 10_000 ? total : Math.min(total, 200_000);
      const send = (from: number) => {
        const steps = Array.from({ length: batch }, (_, i) => from + i);
        const values = steps.map(() => Math.random());
        return form === 'columns'
          ? client.metric.logBatch.mutate({
              runId,
              columns: { key: 'loss', step: steps, value: values },
            })
          : client.metric.logBatch.mutate({
              runId,
              points: steps.map((step, i) => ({ key: 'loss', step, value: values[i]! })),
            });
      };
      const start = performance.now();
      // `inFlight` requests at a time, as a reporter that pipelines its sends would.
      let next = 0;
      await Promise.all(
        Array.from({ length: inFlight }, async () => {
          while (next < n) {
            const from = next;
            next += batch;
            await send(from);
          }
        }),
      );
      const seconds = (performance.now() - start) / 1000;
      rows.push(
        `${kind.padEnd(8)} ingest  batch ${String(batch).padStart(6)} ${form.padEnd(7)} ×${inFlight} in flight  ${n.toLocaleString('en').padStart(9)} points  ${(n / seconds).toFixed(0).padStart(8)} points/s`,
      );
    }
    // The last 10,000-batch run now holds `total` points.
    const times: number[] = [];
    for (let i = 0; i < 20; i++) {
      const start = performance.now();
      const [series] = await client.metric.series.query({
        runIds: ['ingest-10000-columns-2'],
        keys: ['loss'],
        maxPoints: 1000,
      });
      times.push(performance.now() - start);
      if (!series?.downsampled) throw new Error('expected a downsampled series');
    }
    times.sort((a, b) => a - b);
    const zoomTimes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const from = Math.floor(Math.random() * (total - 100_000));
      const start = performance.now();
      await client.metric.series.query({
        runIds: ['ingest-10000-columns-2'],
        keys: ['loss'],
        maxPoints: 1000,
        fromStep: from,
        toStep: from + 99_999,
      });
      zoomTimes.push(performance.now() - start);
    }
    zoomTimes.sort((a, b) => a - b);
    rows.push(
      `${kind.padEnd(8)} series  ${total.toLocaleString('en')} points → 1000  median ${times[10]!.toFixed(1)} ms  p95 ${times[18]!.toFixed(1)} ms (over HTTP)`,
    );
    rows.push(
      `${kind.padEnd(8)} zoom    100,000-step range → 1000      median ${zoomTimes[10]!.toFixed(1)} ms  p95 ${zoomTimes[18]!.toFixed(1)} ms`,
    );
  } finally {
    await tracker.stop();
    await db?.drop();
    await rm(home, { recursive: true, force: true });
  }
  return rows;
}

/**
 * The store alone, without HTTP, tRPC or a second process: what the set-based insert costs,
 * so that the rows above show how much of their time is the transport.
 */
async function storeOnly(kind: 'postgres' | 'pglite') {
  const { store, dispose } = await openTestStore(kind);
  try {
    await store.prisma.run.create({ data: { id: 'direct', name: 'direct' } });
    const batch = 10_000;
    const n = Math.min(total, 500_000);
    const start = performance.now();
    for (let from = 0; from < n; from += batch) {
      const steps = Array.from({ length: batch }, (_, i) => from + i);
      await insertMetricPoints(store.sql, 'direct', {
        keys: new Array(batch).fill('loss'),
        steps,
        epochs: new Array(batch).fill(null),
        values: steps.map(() => Math.random()),
        wallTimes: new Array(batch).fill(Date.now()),
      });
    }
    const seconds = (performance.now() - start) / 1000;
    return `${kind.padEnd(8)} insert  batch  10000 in-process, no HTTP  ${n.toLocaleString('en').padStart(9)} points  ${(n / seconds).toFixed(0).padStart(8)} points/s  (${((seconds * 1000 * batch) / n).toFixed(1)} ms a batch)`;
  } finally {
    await dispose();
  }
}

const results = [
  ...(await bench('postgres')),
  await storeOnly('postgres'),
  ...(await bench('pglite')),
  await storeOnly('pglite'),
];
console.log('\ntracker benchmark (targets: ≥ 200,000 points/s into Postgres; series < 50 ms)');
for (const row of results) console.log(`  ${row}`);
