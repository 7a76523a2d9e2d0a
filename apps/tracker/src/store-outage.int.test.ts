import { createTrackerClient } from '@trainbook/api/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnTracker, type TrackerProcess } from './spawn-tracker.js';
import {
  startThrowawayPostgres,
  type ThrowawayPostgres,
  throwawayPostgresUnavailable,
} from './testing/throwaway-postgres.js';

const unavailable = throwawayPostgresUnavailable();
if (unavailable) console.warn(`Skipping the store outage test: ${unavailable}`);

/** The HTTP status of a failed call (the client's TRPCClientError), if the tracker answered. */
const httpStatus = (error: unknown) =>
  (error as { data?: { httpStatus?: number } } | undefined)?.data?.httpStatus;

describe.skipIf(unavailable)('the tracker when Postgres goes away under load', () => {
  let cluster: ThrowawayPostgres;
  let tracker: TrackerProcess;
  beforeAll(async () => {
    cluster = await startThrowawayPostgres();
    tracker = await spawnTracker({ DATABASE_URL: cluster.url });
  });
  afterAll(async () => {
    await tracker?.stop();
    await cluster?.destroy();
  });

  it('stays up, answers 503 while the store is down, and writes again once it is back', async () => {
    const client = createTrackerClient({ url: tracker.url });
    await client.run.create.mutate({ id: 'outage' });
    let step = 0;
    let written = 0;
    const failures: unknown[] = [];
    let onResult: (() => void) | null = null;
    let stopped = false;
    // Four writers in a loop, as trainers would be.
    const writers = Array.from({ length: 4 }, async () => {
      while (!stopped) {
        const from = step;
        step += 1000;
        try {
          await client.metric.logBatch.mutate({
            runId: 'outage',
            columns: {
              key: 'loss',
              step: Array.from({ length: 1000 }, (_, i) => from + i),
              value: Array.from({ length: 1000 }, () => Math.random()),
            },
          });
          written++;
        } catch (error) {
          failures.push(error);
        }
        onResult?.();
      }
    });
    const until = (done: () => boolean) =>
      new Promise<void>((resolve) => {
        if (done()) return resolve();
        onResult = () => {
          if (done()) {
            onResult = null;
            resolve();
          }
        };
      });

    await until(() => written >= 8);
    await cluster.stopImmediately();
    await until(() => failures.length >= 8);
    expect(tracker.child.exitCode).toBeNull();
    const last = failures.at(-1);
    expect(httpStatus(last), String(last)).toBe(503);
    expect((last as Error).message).toMatch(/store|database/i);
    // Every failure is an answer from the tracker, not a dropped connection.
    expect(failures.map(httpStatus).every((s) => s === 503)).toBe(true);

    await cluster.start();
    const before = written;
    await until(() => written >= before + 8);
    stopped = true;
    await Promise.all(writers);
    expect(tracker.child.exitCode).toBeNull();
    expect(tracker.output()).toMatch(/database/);
    const health = await fetch(tracker.url.replace('/trpc', '/health'));
    expect(health.status).toBe(200);
  });
});
