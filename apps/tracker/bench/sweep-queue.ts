/**
 * Sweep queue benchmark, against the real tracker process on Postgres and on PGlite, over
 * HTTP with the real client:
 *  - queue overhead per trial: claim → run created → first report stored (training excluded),
 *    one worker, trials one after another; median and p90;
 *  - 1,000 queued trials claimed and finished by 8 concurrent workers: trials/s, and a check
 *    that none was handed out twice and none was lost.
 * Prints figures; asserts nothing but the exactly-once count (machines are noisy).
 *
 *   pnpm --filter @trainbook/tracker exec tsx bench/sweep-queue.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTrackerClient, type TrackerClient } from '@trainbook/api/client';
import { finishedClaim } from '@trainbook/api/testing';
import { createTestDatabase, postgresUnavailable } from '@trainbook/db/testing';
import { spawnTracker } from '../src/spawn-tracker.js';

const overheadTrials = Number(process.env.BENCH_OVERHEAD_TRIALS ?? 50);
const manyTrials = Number(process.env.BENCH_TRIALS ?? 1000);
const workers = 8;

const trials = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ params: { i }, config: { seed: i } }));

const quantile = (xs: number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};

interface Overhead {
  total: number[];
  claim: number[];
  create: number[];
  report: number[];
}

async function overhead(client: TrackerClient): Promise<Overhead> {
  await client.sweep.create.mutate({
    name: 'overhead',
    search: 'grid',
    spec: {},
    trials: trials(overheadTrials),
  });
  const times: Overhead = { total: [], claim: [], create: [], report: [] };
  for (;;) {
    const start = performance.now();
    const claim = await client.trial.claim.mutate({ worker: 'bench/overhead' });
    if (!claim) break;
    const claimed = performance.now();
    await client.run.create.mutate({
      id: claim.runId,
      params: { seed: claim.index },
      sweep: { sweepId: claim.sweepId, trialIndex: claim.index, attempt: claim.attempt },
    });
    const created = performance.now();
    await client.metric.logBatch.mutate({
      runId: claim.runId,
      points: [{ key: 'batch/loss', step: 0, epoch: 1, value: 2.3 }],
    });
    const reported = performance.now();
    times.total.push(reported - start);
    times.claim.push(claimed - start);
    times.create.push(created - claimed);
    times.report.push(reported - created);
    await client.trial.finish.mutate(finishedClaim(claim));
  }
  return times;
}

async function many(url: string): Promise<{ seconds: number; claimed: number; distinct: number }> {
  const admin = createTrackerClient({ url });
  const { id } = await admin.sweep.create.mutate({
    name: 'many',
    search: 'grid',
    spec: {},
    trials: trials(manyTrials),
  });
  const claimed: number[] = [];
  const start = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async (_, n) => {
      const client = createTrackerClient({ url });
      for (;;) {
        const c = await client.trial.claim.mutate({ worker: `bench/${n}` });
        if (!c) return;
        claimed.push(c.index);
        await client.trial.finish.mutate(finishedClaim(c));
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const sweep = await admin.sweep.get.query({ sweepId: id });
  if (sweep.counts.finished !== manyTrials || new Set(claimed).size !== claimed.length)
    throw new Error(
      `exactly once broken: ${JSON.stringify(sweep.counts)}, ${claimed.length} claims`,
    );
  return { seconds, claimed: claimed.length, distinct: new Set(claimed).size };
}

async function bench(kind: 'postgres' | 'pglite') {
  const db = kind === 'postgres' ? await createTestDatabase() : undefined;
  const home = await mkdtemp(join(tmpdir(), 'trainbook-bench-'));
  const tracker = await spawnTracker({ TRAINBOOK_HOME: home, DATABASE_URL: db?.url });
  try {
    const t = await overhead(createTrackerClient({ url: tracker.url }));
    const ms = (xs: number[]) => `${quantile(xs, 0.5).toFixed(1)} ms`;
    console.log(
      `${kind.padEnd(8)} queue overhead per trial (claim → run created → first report stored), ${t.total.length} trials: median ${ms(t.total)}, p90 ${quantile(t.total, 0.9).toFixed(1)} ms; median by step: claim ${ms(t.claim)}, run.create ${ms(t.create)}, first logBatch ${ms(t.report)}; target < 100 ms: median at ${((100 * quantile(t.total, 0.5)) / 100).toFixed(0)}% of it`,
    );
    const m = await many(tracker.url);
    console.log(
      `${kind.padEnd(8)} ${manyTrials.toLocaleString('en-US')} trials by ${workers} workers (claim + finish): ${m.seconds.toFixed(1)} s, ${(m.claimed / m.seconds).toFixed(0)} trials/s; ${m.claimed} claims, ${m.distinct} distinct: none twice, none lost`,
    );
  } finally {
    await tracker.stop();
    await rm(home, { recursive: true, force: true });
    await db?.drop();
  }
}

for (const kind of postgresUnavailable ? (['pglite'] as const) : (['postgres', 'pglite'] as const))
  await bench(kind);
