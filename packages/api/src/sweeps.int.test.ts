import { storeKinds } from '@trainbook/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrackerClient } from './client.js';
import { reconcileTrials } from './services/sweeps/trial-lifecycle.js';
import { type Api, errorCode, finishedClaim, type Harness, startHarness } from './testing.js';

const configs = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    params: { dropout: (i % 3) / 10, lr: 10 ** -(2 + (i % 4)) },
    config: { dropout: (i % 3) / 10, lr: 10 ** -(2 + (i % 4)), epochs: 2, weights: 'none' },
  }));

const newSweep = (api: Api, n: number, extra: Record<string, unknown> = {}) =>
  api.sweep.create({ name: `s${n}`, search: 'grid', spec: { n }, trials: configs(n), ...extra });

async function refused(promise: Promise<unknown>, code: string, message: RegExp) {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to be refused');
    },
    (e: unknown) => e as Error,
  );
  expect(errorCode(error)).toBe(code);
  expect(error.message).toMatch(message);
}

/** Epoch metrics as the trainer logs them (step = epoch). */
const epochPoints = (epochs: Array<Record<string, number>>) =>
  epochs.flatMap((metrics, i) =>
    Object.entries(metrics).map(([key, value]) => ({ key, step: i + 1, epoch: i + 1, value })),
  );

describe.each(storeKinds)('sweeps on %s', (kind) => {
  let h: Harness;
  let api: Api;
  beforeAll(async () => {
    h = await startHarness(kind, 'http');
    api = h.api;
  }, 120_000);
  afterAll(() => h.close());

  /** Cancels what a test left queued, so the next test's claims see only its own sweep. */
  const cancelLeftovers = async () => {
    const { items } = await api.sweep.list({ status: ['running', 'paused'] });
    for (const s of items) await api.sweep.cancel({ sweepId: s.id });
  };

  it('creates a sweep with its trials queued, lists, pages and sorts them', async () => {
    const created = await newSweep(api, 12);
    expect(created.trials).toBe(12);
    const sweep = await api.sweep.get({ sweepId: created.id });
    expect(sweep).toMatchObject({ name: 's12', status: 'running', search: 'grid', maxAttempts: 3 });
    expect(sweep.counts).toMatchObject({ queued: 12, running: 0, done: 0, total: 12 });
    expect(sweep.best).toBeNull();
    const list = await api.sweep.list();
    expect(list.items.map((s) => s.id)).toContain(created.id);

    const byLr = await api.sweep.trials({
      sweepId: created.id,
      sortBy: 'param:lr',
      direction: 'desc',
      limit: 5,
    });
    expect(byLr.total).toBe(12);
    expect(byLr.items).toHaveLength(5);
    const lrs = byLr.items.map((t) => t.params.lr as number);
    expect(lrs).toEqual([...lrs].sort((a, b) => b - a));
    const filtered = await api.sweep.trials({ sweepId: created.id, params: { dropout: 0.2 } });
    expect(filtered.total).toBe(4);
    expect(filtered.items.every((t) => t.params.dropout === 0.2)).toBe(true);
    const page2 = await api.sweep.trials({ sweepId: created.id, offset: 10, limit: 5 });
    expect(page2.items.map((t) => t.index)).toEqual([10, 11]);
    await cancelLeftovers();
  });

  it('refuses bad sweeps with the input named, creating nothing', async () => {
    const before = (await api.sweep.list()).total;
    await refused(
      api.sweep.create({ name: 'empty', search: 'grid', spec: {}, trials: [] }),
      'BAD_REQUEST',
      /trials: expected at least one config/,
    );
    await refused(newSweep(api, 10_001), 'BAD_REQUEST', /trials: at most 10,000/);
    await refused(newSweep(api, 2, { leaseSeconds: 3 }), 'BAD_REQUEST', /leaseSeconds/);
    await refused(
      newSweep(api, 2, { earlyStopping: { mdian: {} } }),
      'BAD_REQUEST',
      /mdian|Unrecognized/,
    );
    expect((await api.sweep.list()).total).toBe(before);
    if (kind !== storeKinds[0]) return; // the token check is the transport's, not the store's
    const tokenHarness = await startHarness(kind, 'http', 'the-right-token-0123');
    try {
      const client = createTrackerClient({ url: tokenHarness.url, token: 'wrong-token-0123456' });
      await refused(client.trial.claim.mutate({ worker: 'w' }), 'UNAUTHORIZED', /needs a token/);
    } finally {
      await tokenHarness.close();
    }
  }, 120_000);

  it('runs a trial: claim, linked run, heartbeat, finish; best run so far; exactly once', async () => {
    const { id } = await newSweep(api, 2);
    const claim = await api.trial.claim({ worker: 'host-a/1' });
    expect(claim).toMatchObject({ sweepId: id, index: 0, attempt: 1, leaseSeconds: 60 });
    const held = { sweepId: id, index: claim!.index, jobId: claim!.jobId, attempt: 1 };
    await api.run.create({
      id: claim!.runId,
      params: { dropout: 0 },
      sweep: { sweepId: id, trialIndex: 0, attempt: 1 },
    });
    expect(await api.trial.heartbeat(held)).toEqual({ held: true, stop: null });
    await api.metric.logBatch({
      runId: claim!.runId,
      points: epochPoints([
        { loss: 2, accuracy: 0.3, val_loss: 2.1, val_accuracy: 0.25 },
        { loss: 1.5, accuracy: 0.45, val_loss: 1.8, val_accuracy: 0.41 },
      ]),
    });
    const running = await api.sweep.get({ sweepId: id });
    expect(running.counts).toMatchObject({ queued: 1, running: 1 });
    expect(running.workers).toEqual([{ worker: 'host-a/1', state: 'running', trials: 1 }]);
    expect(running.best).toMatchObject({ index: 0, bestValAccuracy: 0.41, runId: claim!.runId });

    await api.run.finish({ runId: claim!.runId, status: 'finished' });
    expect(await api.trial.finish({ ...held, runId: claim!.runId, status: 'finished' })).toEqual({
      accepted: true,
      state: 'finished',
    });
    // A second report of the same attempt finds nothing to settle.
    expect(await api.trial.finish({ ...held, runId: claim!.runId, status: 'finished' })).toEqual({
      accepted: false,
      state: 'not held',
    });
    const runs = await api.run.list({ sweepId: id });
    expect(runs.items.map((r) => [r.id, r.trialIndex, r.attempt])).toEqual([[claim!.runId, 0, 1]]);

    const second = await api.trial.claim({ worker: 'host-b/2' });
    expect(second?.index).toBe(1);
    await api.trial.finish({
      sweepId: id,
      index: 1,
      jobId: second!.jobId,
      attempt: 1,
      runId: second!.runId,
      status: 'failed',
      reason: 'out of memory',
    });
    const done = await api.sweep.get({ sweepId: id });
    expect(done.status).toBe('finished');
    expect(done.finishedAt).toBeInstanceOf(Date);
    expect(done.counts).toMatchObject({ finished: 1, failed: 1, done: 1, queued: 0 });
    expect(await api.trial.claim({ worker: 'host-a/1' })).toBeNull();
  });

  it('pauses (no claims), resumes, cancels (queued removed, running told to stop)', async () => {
    const { id } = await newSweep(api, 4);
    await api.sweep.pause({ sweepId: id });
    expect(await api.trial.claim({ worker: 'w/1' })).toBeNull();
    await refused(api.sweep.resume({ sweepId: 'nope' }), 'NOT_FOUND', /No sweep/);
    await api.sweep.resume({ sweepId: id });
    const claim = await api.trial.claim({ worker: 'w/1' });
    expect(claim?.sweepId).toBe(id);
    const held = { sweepId: id, index: claim!.index, jobId: claim!.jobId, attempt: 1 };
    await api.run.create({ id: claim!.runId, sweep: { sweepId: id, trialIndex: 0, attempt: 1 } });

    expect(await api.sweep.cancel({ sweepId: id })).toEqual({ cancelled: 3, stopping: 1 });
    expect(await api.trial.claim({ worker: 'w/2' })).toBeNull();
    const beat = await api.trial.heartbeat(held);
    expect(beat).toEqual({ held: true, stop: 'stopped: the sweep was cancelled' });
    await api.run.finish({ runId: claim!.runId, status: 'killed', reason: 'Ctrl-C' });
    expect(
      await api.trial.finish({ ...held, runId: claim!.runId, status: 'killed', reason: 'x' }),
    ).toEqual({ accepted: true, state: 'stopped' });
    const run = await api.run.get({ runId: claim!.runId });
    expect(run).toMatchObject({
      status: 'killed',
      statusReason: 'stopped: the sweep was cancelled',
    });
    const sweep = await api.sweep.get({ sweepId: id });
    expect(sweep.status).toBe('cancelled');
    expect(sweep.counts).toMatchObject({ cancelled: 3, stopped: 1, queued: 0, running: 0 });
    await refused(api.sweep.cancel({ sweepId: id }), 'CONFLICT', /cancelled already/);
  });

  it('stops trials early: the median rule and the diagnosis rule say which stopped them', async () => {
    const { id } = await newSweep(api, 3, {
      earlyStopping: { median: { minTrials: 2, fromEpoch: 1 } },
    });
    for (const accuracy of [0.5, 0.6]) {
      const c = (await api.trial.claim({ worker: 'w/1' }))!;
      await api.run.create({
        id: c.runId,
        sweep: { sweepId: id, trialIndex: c.index, attempt: 1 },
      });
      await api.metric.logBatch({
        runId: c.runId,
        points: epochPoints([{ val_accuracy: accuracy - 0.1 }, { val_accuracy: accuracy }]),
      });
      await api.trial.finish(finishedClaim(c));
    }
    const slow = (await api.trial.claim({ worker: 'w/1' }))!;
    const held = { sweepId: id, index: slow.index, jobId: slow.jobId, attempt: 1 };
    await api.run.create({
      id: slow.runId,
      sweep: { sweepId: id, trialIndex: slow.index, attempt: 1 },
    });
    await api.metric.logBatch({ runId: slow.runId, points: epochPoints([{ val_accuracy: 0.5 }]) });
    expect((await api.trial.heartbeat(held)).stop).toBeNull(); // 0.5 is not below the median 0.45
    await api.metric.logBatch({
      runId: slow.runId,
      points: [{ key: 'val_accuracy', step: 2, epoch: 2, value: 0.3 }],
    });
    const told = await api.trial.heartbeat(held);
    expect(told.stop).toMatch(/median rule.*0\.3000 at epoch 2.*median 0\.5500 of 2 finished/);
    await api.run.finish({ runId: slow.runId, status: 'killed', reason: 'Ctrl-C' });
    await api.trial.finish({ ...held, runId: slow.runId, status: 'killed' });
    const run = await api.run.get({ runId: slow.runId });
    expect(run.statusReason).toMatch(/^early stopping \(median rule\)/);
    // What mattered: marginal means of best val_accuracy per param value (one trial each here).
    const { effects, findings } = await api.sweep.analysis({ sweepId: id });
    expect(
      effects.filter((e) => e.param === 'dropout').map((e) => [e.value, e.trials, e.mean]),
    ).toEqual([
      ['0', 1, 0.5],
      ['0.1', 1, 0.6],
      ['0.2', 1, 0.5],
    ]);
    for (const f of findings) expect(f.runs).toBeLessThanOrEqual(f.of);

    const diag = await newSweep(api, 1, { earlyStopping: { diagnosis: { patience: 1 } } });
    const c = (await api.trial.claim({ worker: 'w/1' }))!;
    await api.run.create({ id: c.runId, sweep: { sweepId: diag.id, trialIndex: 0, attempt: 1 } });
    await api.metric.logBatch({
      runId: c.runId,
      points: epochPoints([
        { loss: 1.2, accuracy: 0.5, val_loss: 1.3, val_accuracy: 0.45 },
        { loss: Number.NaN, accuracy: 0.1, val_loss: Number.NaN, val_accuracy: 0.1 },
      ]),
    });
    const beat = await api.trial.heartbeat({
      sweepId: diag.id,
      index: 0,
      jobId: c.jobId,
      attempt: 1,
    });
    expect(beat.stop).toMatch(/^early stopping \(diagnosis rule\): diverged from epoch 2/);

    // Eight epochs at chance: stuck, once the diagnosis is past "too early to tell".
    const flat = await newSweep(api, 1, { earlyStopping: { diagnosis: { patience: 1 } } });
    const t = (await api.trial.claim({ worker: 'w/1' }))!;
    await api.run.create({ id: t.runId, sweep: { sweepId: flat.id, trialIndex: 0, attempt: 1 } });
    const chance = { loss: Math.LN10, accuracy: 0.1, val_loss: Math.LN10, val_accuracy: 0.1 };
    const flatBeat = { sweepId: flat.id, index: 0, jobId: t.jobId, attempt: 1 };
    await api.metric.logBatch({ runId: t.runId, points: epochPoints([chance, chance]) });
    expect((await api.trial.heartbeat(flatBeat)).stop).toBeNull(); // too early to tell
    await api.metric.logBatch({
      runId: t.runId,
      points: epochPoints(Array.from({ length: 8 }, () => chance)),
    });
    expect((await api.trial.heartbeat(flatBeat)).stop).toMatch(
      /^early stopping \(diagnosis rule\): stuck at chance/,
    );
    await cancelLeftovers();
  });

  it('a lapsed lease crashes the run with the reason and retries the trial, up to the limit', async () => {
    const retried = await newSweep(api, 1, { leaseSeconds: 10, maxAttempts: 2 });
    const once = await newSweep(api, 1, { leaseSeconds: 10, maxAttempts: 1 });
    const a = (await api.trial.claim({ worker: 'dead/1' }))!;
    const b = (await api.trial.claim({ worker: 'dead/2' }))!;
    expect([a.sweepId, b.sweepId]).toEqual([retried.id, once.id]);
    for (const c of [a, b])
      await api.run.create({
        id: c.runId,
        sweep: { sweepId: c.sweepId, trialIndex: 0, attempt: 1 },
      });
    // Nobody renews either lease. Wait for the queue to give up on both (an event, not a delay).
    const ctx = { store: h.store, events: h.events, queue: h.queue };
    const lapsed = new Set<string>();
    while (lapsed.size < 2) {
      await h.queue.supervise(retried.id);
      await h.queue.supervise(once.id);
      for (const id of await reconcileTrials(ctx)) lapsed.add(id);
      await new Promise((done) => setTimeout(done, 250));
    }
    for (const c of [a, b]) {
      const run = await api.run.get({ runId: c.runId });
      expect(run.status).toBe('crashed');
      expect(run.statusReason).toMatch(/worker \(dead\/\d\) stopped renewing its lease.*10 s/);
    }
    expect((await api.sweep.get({ sweepId: retried.id })).counts).toMatchObject({ queued: 1 });
    const lost = await api.sweep.get({ sweepId: once.id });
    expect(lost.status).toBe('finished');
    expect(lost.counts).toMatchObject({ failed: 1 });
    const stale = await api.trial.heartbeat({
      sweepId: a.sweepId,
      index: 0,
      jobId: a.jobId,
      attempt: 1,
    });
    expect(stale.held).toBe(false);

    const again = (await api.trial.claim({ worker: 'alive/3' }))!;
    expect(again).toMatchObject({ sweepId: retried.id, index: 0, attempt: 2 });
    expect(
      await api.trial.finish({
        sweepId: a.sweepId,
        index: 0,
        jobId: a.jobId,
        attempt: 1,
        runId: a.runId,
        status: 'finished',
      }),
    ).toEqual({ accepted: false, state: 'not held' });
    expect(
      await api.trial.finish({
        sweepId: again.sweepId,
        index: 0,
        jobId: again.jobId,
        attempt: 2,
        runId: again.runId,
        status: 'finished',
      }),
    ).toEqual({ accepted: true, state: 'finished' });
    expect((await api.sweep.get({ sweepId: retried.id })).status).toBe('finished');
  }, 120_000);

  it('1,000 queued trials claimed by 8 concurrent claimers: none run twice, none lost', async () => {
    // A short lease: a claim whose answer a dropped connection lost comes back in seconds.
    const { id } = await newSweep(api, 1000, { leaseSeconds: 10 });
    const accepted: number[] = [];
    const attempts = new Set<string>();
    const ctx = { store: h.store, events: h.events, queue: h.queue };
    /** Like a worker: a call that does not get through (busy machine) is made again. */
    const retried = async <T>(call: () => Promise<T>): Promise<T> => {
      for (;;) {
        try {
          return await call();
        } catch (error) {
          if (errorCode(error)) throw error; // an answer, not a lost connection
        }
      }
    };
    const claimer = async (n: number) => {
      const client = createTrackerClient({ url: h.url });
      for (;;) {
        const c = await retried(() => client.trial.claim.mutate({ worker: `bench/${n}` }));
        if (!c) {
          const sweep = await api.sweep.get({ sweepId: id });
          if (sweep.status === 'finished') return;
          // A claim lost on the way is still running: wait for its lease to lapse.
          await h.queue.supervise(id);
          await reconcileTrials(ctx);
          await new Promise((done) => setTimeout(done, 200)); // poll, not a timed assertion
          continue;
        }
        const attempt = `${c.index}/${c.attempt}`;
        expect(attempts.has(attempt)).toBe(false);
        attempts.add(attempt);
        const done = await retried(() => client.trial.finish.mutate(finishedClaim(c)));
        if (done.accepted) accepted.push(c.index);
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, n) => claimer(n)));
    expect(accepted).toHaveLength(1000);
    expect(new Set(accepted).size).toBe(1000);
    const sweep = await api.sweep.get({ sweepId: id });
    expect(sweep.status).toBe('finished');
    expect(sweep.counts).toMatchObject({ finished: 1000, queued: 0, running: 0 });
  }, 600_000);
});
