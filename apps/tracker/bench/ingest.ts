/**
 * Ingest and series benchmark: points/s over HTTP with the real client into Postgres and
 * into PGlite (batches of 1,000 and 10,000), then metric.series latency on a run of
 * 1,000,000 points at maxPoints 1000; the store's insert alone, in-process; and logBatch
 * latency (p50/p95/p99) with 8 and 64 writers at once: back to back (saturation; grouped as
 * the tracker writes, and with a transaction per batch as before, side by side) and paced as
 * trainers report. Prints figures; asserts nothing (machines are noisy).
 *
 *   pnpm --filter @trainbook/tracker bench      (Postgres from TEST_DATABASE_URL or 127.0.0.1:5432)
 *   BENCH_ONLY=latency pnpm --filter @trainbook/tracker bench    (only logBatch latency, 8 and 64 writers)
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
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

/**
 * CPU time (user + system) a process has used so far, in ms, from /proc/<pid>/stat (Linux).
 * Unlike wall-clock latency, it does not grow when other work shares the machine.
 */
async function cpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at state, field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100; // USER_HZ on Linux
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/**
 * Round trips to Postgres made by this process: each answer the client waits for before
 * it can go on (ReadyForQuery after a statement, CopyInResponse before COPY's data).
 * Counted on the pg driver that @trainbook/db uses.
 */
const pgDriver = createRequire(import.meta.resolve('@trainbook/db'))('pg') as {
  Connection: { prototype: { emit(name: string, ...args: unknown[]): boolean } };
  Client: new (options: {
    connectionString: string;
  }) => {
    connect(): Promise<void>;
    query(text: string): Promise<{ rows: { pid: number }[] }>;
    end(): Promise<void>;
  };
};

const roundTrips = (() => {
  const proto = pgDriver.Connection.prototype;
  const emit = proto.emit;
  let count = 0;
  proto.emit = function (this: unknown, name: string, ...args: unknown[]) {
    if (name === 'readyForQuery' || name === 'copyInResponse') count++;
    return emit.call(this, name, ...args);
  };
  return () => count;
})();

/**
 * CPU time used so far by the Postgres backends serving `url`'s database (other than the
 * one asking), in ms: the database's share of each call, which also needs a core.
 */
async function backendsCpuMs(url: string): Promise<number> {
  const client = new pgDriver.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    const times = await Promise.all(rows.map(({ pid }) => cpuMs(pid).catch(() => 0)));
    return times.reduce((a, b) => a + b, 0);
  } finally {
    await client.end();
  }
}

/** The value below which `q` of the sorted times fall (nearest rank). */
const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

/**
 * Latency of metric.logBatch (1,000 points, columns) with `writers` trainers sending at
 * once, each to its own run, one call after another: what a trainer waits per call when
 * many train at the same time. Postgres only (the embedded store serves one machine).
 */
interface LatencyCase {
  writers: number;
  batchesEach: number;
  /** As many transactions as writers, so that no batch ever waits to share one. */
  ungrouped?: boolean;
  /**
   * Paced: each writer sends a batch every `everyMs` (or at once when its last call took
   * longer), the writers' phases spread evenly, as trainers that report at their own pace.
   * Unset: each sends its next batch as soon as the last is answered (saturation).
   */
  everyMs?: number;
}

async function latency({ writers, batchesEach, ungrouped = false, everyMs }: LatencyCase) {
  const db = await createTestDatabase();
  const tracker = await spawnTracker({
    DATABASE_URL: db.url,
    TRACKER_POINT_TRANSACTIONS: ungrouped ? String(writers) : undefined,
  });
  const client = createTrackerClient({ url: tracker.url });
  try {
    const times: number[] = [];
    const send = async (runId: string, batch: number, record: boolean) => {
      const steps = Array.from({ length: 1000 }, (_, i) => batch * 1000 + i);
      const start = performance.now();
      await client.metric.logBatch.mutate({
        runId,
        columns: {
          key: 'batch/loss',
          step: steps,
          value: steps.map(() => Math.random()),
          epoch: 1,
          wallTime: Date.now(),
        },
      });
      if (record) times.push(performance.now() - start);
    };
    const runs = Array.from({ length: writers }, (_, w) => `latency-${writers}-${w}`);
    for (const runId of runs) await client.run.create.mutate({ id: runId });
    // One warm-up call each (connections, series rows), not counted.
    await Promise.all(runs.map((runId) => send(runId, 0, false)));
    const pid = tracker.child.pid!;
    const cpuBefore = await cpuMs(pid);
    const dbCpuBefore = await backendsCpuMs(db.url);
    const start = performance.now();
    const sleep = (ms: number) => new Promise((done) => setTimeout(done, Math.max(0, ms)));
    await Promise.all(
      runs.map(async (runId, w) => {
        if (everyMs) await sleep((w * everyMs) / writers);
        for (let b = 1; b <= batchesEach; b++) {
          const due = performance.now() + (everyMs ?? 0);
          await send(runId, b, true);
          if (everyMs) await sleep(due - performance.now());
        }
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const cpuPerCall = ((await cpuMs(pid)) - cpuBefore) / times.length;
    const dbCpuPerCall = ((await backendsCpuMs(db.url)) - dbCpuBefore) / times.length;
    times.sort((a, b) => a - b);
    const ms = (q: number) => `${quantile(times, q).toFixed(0).padStart(4)} ms`;
    const how = `${ungrouped ? 'a transaction each' : 'grouped'}, ${everyMs ? `one every ${everyMs} ms` : 'back to back'}`;
    return `postgres logBatch 1000 points, ${String(writers).padStart(2)} writers, ${how.padEnd(40)}  p50 ${ms(0.5)}  p95 ${ms(0.95)}  p99 ${ms(0.99)}  (${times.length} calls, ${((times.length * 1000) / seconds).toFixed(0)} points/s)  CPU per call: tracker ${cpuPerCall.toFixed(1)} ms, Postgres ${dbCpuPerCall.toFixed(1)} ms`;
  } finally {
    await tracker.stop();
    await db.drop();
  }
}

/**
 * The same writers calling the store directly (no HTTP, tRPC or second process): shows how
 * much of the latency above is the database's (locks, commits) and how much the tracker's;
 * through the store's PointWriter as the tracker writes (batches that wait share a
 * transaction), and with one transaction per batch as before it.
 */
async function storeLatency(writers: number, batchesEach: number, grouped: boolean) {
  const { store, dispose } = await openTestStore('postgres');
  try {
    const runs = Array.from({ length: writers }, (_, w) => `store-latency-${w}`);
    for (const id of runs) await store.prisma.run.create({ data: { id, name: id } });
    const times: number[] = [];
    const insert = async (runId: string, batch: number) => {
      const steps = Array.from({ length: 1000 }, (_, i) => batch * 1000 + i);
      const start = performance.now();
      const columns = {
        keys: new Array(1000).fill('batch/loss'),
        steps,
        epochs: new Array(1000).fill(1),
        values: steps.map(() => Math.random()),
        wallTimes: new Array(1000).fill(Date.now()),
      };
      await (grouped
        ? store.points.write(runId, columns)
        : insertMetricPoints(store.sql, runId, columns));
      if (batch > 0) times.push(performance.now() - start);
    };
    await Promise.all(runs.map((runId) => insert(runId, 0)));
    const tripsBefore = roundTrips();
    const cpuBefore = process.cpuUsage();
    await Promise.all(
      runs.map(async (runId) => {
        for (let b = 1; b <= batchesEach; b++) await insert(runId, b);
      }),
    );
    const cpu = process.cpuUsage(cpuBefore);
    const cpuPerCall = (cpu.user + cpu.system) / 1000 / times.length;
    const tripsPerCall = (roundTrips() - tripsBefore) / times.length;
    times.sort((a, b) => a - b);
    const ms = (q: number) => `${quantile(times, q).toFixed(0).padStart(4)} ms`;
    const how = grouped ? 'grouped (PointWriter)' : 'a transaction each';
    return `postgres insert   1000 points, ${String(writers).padStart(2)} writers  p50 ${ms(0.5)}  p95 ${ms(0.95)}  p99 ${ms(0.99)}  (store only, in-process, ${how})  CPU per call ${cpuPerCall.toFixed(1)} ms, DB round trips per call ${tripsPerCall.toFixed(1)}`;
  } finally {
    await dispose();
  }
}

const only = process.env.BENCH_ONLY; // `latency`: just the concurrent-writer figures
const latencyBatches = Number(process.env.BENCH_LATENCY_BATCHES ?? 50);
const fewer = Math.max(1, Math.round(latencyBatches / 4));
const results = [
  ...(only === 'latency'
    ? []
    : [
        ...(await bench('postgres')),
        await storeOnly('postgres'),
        ...(await bench('pglite')),
        await storeOnly('pglite'),
      ]),
  await latency({ writers: 8, batchesEach: latencyBatches }),
  await latency({ writers: 8, batchesEach: latencyBatches, ungrouped: true }),
  await latency({ writers: 8, batchesEach: latencyBatches, everyMs: 250 }),
  await storeLatency(8, latencyBatches, true),
  await storeLatency(8, latencyBatches, false),
  await latency({ writers: 64, batchesEach: fewer }),
  await latency({ writers: 64, batchesEach: fewer, ungrouped: true }),
  await latency({ writers: 64, batchesEach: fewer, everyMs: 1000 }),
  await storeLatency(64, fewer, true),
  await storeLatency(64, fewer, false),
];
console.log(
  '\ntracker benchmark (targets: ≥ 200,000 points/s into Postgres; series < 50 ms; logBatch p99 < 100 ms at 8 writers)',
);
console.log(
  `  (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores; paced writers send 1,000 points every 250 ms (8) or 1 s (64): 32,000 and 64,000 points/s in all, far above what trainers send)`,
);
for (const row of results) console.log(`  ${row}`);
