import { readEpochMetrics } from '@trainbook/db';
import { storeKinds } from '@trainbook/db/testing';
import { diagnose, diagnosisVersion } from '@trainbook/insights';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepStaleRuns } from './services/sweep-stale-runs.js';
import { type Api, errorCode, type Harness, startHarness } from './testing.js';

const matrix = storeKinds.flatMap((kind) =>
  (['caller', 'http'] as const).map((transport) => [kind, transport] as const),
);

async function expectCode(promise: Promise<unknown>, codes: string[]) {
  const error = await promise.then(
    () => {
      throw new Error('expected the call to be refused');
    },
    (e: unknown) => e,
  );
  expect(codes).toContain(errorCode(error));
  expect((error as Error).message.length).toBeGreaterThan(5);
  return error as Error;
}

const points = (key: string, from: number, to: number, f = (s: number) => s / 10) =>
  Array.from({ length: to - from }, (_, i) => ({ key, step: from + i, value: f(from + i) }));

describe.each(matrix)('API on %s through %s', (kind, transport) => {
  let h: Harness;
  let api: Api;
  beforeAll(async () => {
    h = await startHarness(kind, transport);
    api = h.api;
  });
  afterAll(() => h.close());

  describe('runs', () => {
    it('creates a run with a readable generated name, idempotently by id', async () => {
      const first = await api.run.create({
        id: 'seed-1',
        params: { lr: 0.001, optimizer: 'rmsprop' },
        tags: ['seed'],
      });
      expect(first.created).toBe(true);
      expect(first.run.name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
      expect(first.run.status).toBe('running');
      expect(first.run.tags.map((t) => t.name)).toEqual(['seed']);
      const again = await api.run.create({ id: 'seed-1', name: 'other' });
      expect(again.created).toBe(false);
      expect(again.run.name).toBe(first.run.name);
      expect(again.run.params).toEqual({ lr: 0.001, optimizer: 'rmsprop' });
    });

    it('updates name and notes, merges the summary, finishes with a reason', async () => {
      await api.run.create({ id: 'upd', name: 'before' });
      const updated = await api.run.update({
        runId: 'upd',
        name: 'after',
        notes: '# Hi\nIt **overfit**.',
        summary: { a: 1 },
      });
      expect(updated).toMatchObject({
        name: 'after',
        notes: '# Hi\nIt **overfit**.',
        summary: { a: 1 },
      });
      const finished = await api.run.finish({
        runId: 'upd',
        status: 'failed',
        reason: 'OOM',
        summary: { b: 2 },
      });
      expect(finished).toMatchObject({
        status: 'failed',
        statusReason: 'OOM',
        summary: { a: 1, b: 2 },
      });
      expect(finished.finishedAt).toBeInstanceOf(Date);
    });

    it('lists with filters, sorting by a summary metric and cursor pages', async () => {
      for (let i = 0; i < 7; i++) {
        await api.run.create({
          id: `list-${i}`,
          name: `sweep ${i}`,
          params: { dropout: i % 2 ? 0.5 : 0, optimizer: i < 3 ? 'adam' : 'rmsprop' },
          tags: i % 3 === 0 ? ['sweep', 'overfitting'] : ['sweep'],
        });
        if (i !== 4)
          await api.run.update({ runId: `list-${i}`, summary: { bestValAccuracy: (i * 37) % 11 } });
      }
      const byMetric = await api.run.list({
        tags: ['sweep'],
        sortBy: 'bestValAccuracy',
        direction: 'desc',
        limit: 100,
      });
      const values = byMetric.items.map((r) => r.summary.bestValAccuracy as number | undefined);
      expect(byMetric.items).toHaveLength(7);
      expect(values.at(-1)).toBeUndefined(); // no metric sorts last
      const known = values.slice(0, -1) as number[];
      expect(known).toEqual([...known].sort((a, b) => b - a));

      const pages: string[] = [];
      let cursor: string | null | undefined;
      do {
        const page = await api.run.list({
          tags: ['sweep'],
          limit: 3,
          cursor,
          sortBy: 'bestValAccuracy',
          direction: 'asc',
        });
        pages.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(new Set(pages).size).toBe(7);
      expect(pages).toHaveLength(7);

      const tagged = await api.run.list({ tags: ['sweep', 'overfitting'] });
      expect(tagged.items.map((r) => r.id).sort()).toEqual(['list-0', 'list-3', 'list-6']);
      const byParam = await api.run.list({ params: { dropout: 0.5, optimizer: 'rmsprop' } });
      expect(byParam.items.map((r) => r.id).sort()).toEqual(['list-3', 'list-5']);
      const byText = await api.run.list({ text: 'SWEEP 4' });
      expect(byText.items.map((r) => r.id)).toEqual(['list-4']);
      await api.run.finish({ runId: 'list-2', status: 'finished' });
      const finished = await api.run.list({ status: ['finished'], tags: ['sweep'] });
      expect(finished.items.map((r) => r.id)).toEqual(['list-2']);
      const newestFirst = await api.run.list({ tags: ['sweep'], limit: 2 });
      expect(newestFirst.items.map((r) => r.id)).toEqual(['list-6', 'list-5']);
      const byIds = await api.run.list({ ids: ['list-1', 'nope', 'list-4'] });
      expect(byIds.items.map((r) => r.id)).toEqual(['list-4', 'list-1']);
      const someIds = await api.run.list({ ids: ['list-1', 'list-4'], tags: ['overfitting'] });
      expect(someIds.items.map((r) => r.id)).toEqual([]);
    });

    it('deletes a run with its points, tags and artifacts', async () => {
      await api.run.create({ id: 'doomed', tags: ['keep-tag'] });
      await api.metric.logBatch({ runId: 'doomed', points: points('loss', 0, 10) });
      await api.artifact.register({
        runId: 'doomed',
        kind: 'file',
        name: 'a.txt',
        contentBase64: 'aGk=',
      });
      const series = await h.store.sql.query<{ id: number }>(
        "SELECT id FROM metric_series WHERE run_id = 'doomed'",
      );
      expect(series).toHaveLength(1);
      await api.run.delete({ runId: 'doomed' });
      await expectCode(api.run.get({ runId: 'doomed' }), ['NOT_FOUND']);
      const rows = await h.store.sql.query<{ n: number }>(
        `SELECT (SELECT count(*) FROM metric_points WHERE series_id = $1) + (SELECT count(*) FROM metric_rollups WHERE series_id = $1)
          + (SELECT count(*) FROM metric_series WHERE run_id = 'doomed') + (SELECT count(*) FROM artifacts WHERE run_id = 'doomed')
          + (SELECT count(*) FROM run_tags WHERE run_id = 'doomed') AS n`,
        [series[0]!.id],
      );
      expect(Number(rows[0]?.n)).toBe(0);
      expect((await api.tag.list()).find((t) => t.name === 'keep-tag')?.runCount).toBe(0);
      await expectCode(api.run.delete({ runId: 'doomed' }), ['NOT_FOUND']);
    });
  });

  describe('metrics', () => {
    beforeAll(async () => {
      await api.run.create({ id: 'm1' });
    });

    it('re-sending a batch never duplicates', async () => {
      const batch = points('loss', 0, 1000);
      expect(await api.metric.logBatch({ runId: 'm1', points: batch })).toEqual({
        accepted: 1000,
        inserted: 1000,
      });
      expect(await api.metric.logBatch({ runId: 'm1', points: batch })).toEqual({
        accepted: 1000,
        inserted: 0,
      });
      const keys = await api.metric.keys({ runId: 'm1' });
      expect(keys).toEqual([{ key: 'loss', count: 1000, lastStep: 999, lastValue: 99.9 }]);
    });

    it('takes the same points as columns, with shared key and epoch', async () => {
      const result = await api.metric.logBatch({
        runId: 'm1',
        columns: {
          key: 'val_loss',
          step: [1, 2, 3],
          value: [0.9, 0.7, Number.NaN],
          epoch: [1, 2, 3],
          wallTime: 1_700_000_000_000,
        },
      });
      expect(result).toEqual({ accepted: 3, inserted: 3 });
      await api.metric.logBatch({
        runId: 'm1',
        columns: { key: ['c/a', 'c/b'], step: [5, 5], value: [1, 2] },
      });
      const series = await api.metric.series({ runIds: ['m1'], keys: ['val_loss', 'c/a', 'c/b'] });
      expect(series[0]?.points.map((p) => [p.step, p.value, p.epoch])).toEqual([
        [1, 0.9, 1],
        [2, 0.7, 2],
        [3, Number.NaN, 3],
      ]);
      expect(series[0]?.points[0]?.wallTime?.getTime()).toBe(1_700_000_000_000);
      expect(series.slice(1).map((s) => s.points.map((p) => p.value))).toEqual([[1], [2]]);
    });

    it('keeps NaN and ±Infinity faithfully', async () => {
      await api.metric.logBatch({
        runId: 'm1',
        points: [
          { key: 'weird', step: 0, value: Number.NaN, epoch: 0 },
          { key: 'weird', step: 1, value: Number.POSITIVE_INFINITY, epoch: 0 },
          {
            key: 'weird',
            step: 2,
            value: Number.NEGATIVE_INFINITY,
            epoch: 1,
            wallTime: new Date('2026-01-01T00:00:00Z'),
          },
        ],
      });
      const [series] = await api.metric.series({ runIds: ['m1'], keys: ['weird'] });
      expect(series?.points.map((p) => p.value)).toEqual([
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
      ]);
      expect(series?.points.map((p) => p.epoch)).toEqual([0, 0, 1]);
      expect(series?.points[2]?.wallTime?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    });

    it('downsamples above maxPoints, keeps the final point, zooms by step range', async () => {
      await api.metric.logBatch({
        runId: 'm1',
        points: points('acc', 0, 5000, (s) => (s % 100) / 100),
      });
      await api.metric.logBatch({ runId: 'm1', points: [{ key: 'acc', step: 5003, value: 0.42 }] });
      const [coarse] = await api.metric.series({ runIds: ['m1'], keys: ['acc'], maxPoints: 100 });
      expect(coarse?.downsampled).toBe(true);
      expect(coarse?.points.length).toBeLessThanOrEqual(100);
      expect(coarse?.points.at(-1)).toMatchObject({ step: 5003, value: 0.42 });
      expect(Math.max(...coarse!.points.map((p) => p.max))).toBe(0.99);
      expect(Math.min(...coarse!.points.map((p) => p.min))).toBe(0);
      expect(coarse!.points.reduce((n, p) => n + p.count, 0)).toBe(5001);
      const [zoom] = await api.metric.series({
        runIds: ['m1'],
        keys: ['acc'],
        maxPoints: 100,
        fromStep: 1000,
        toStep: 1049,
      });
      expect(zoom?.downsampled).toBe(false);
      expect(zoom?.points.map((p) => p.step)).toEqual(
        Array.from({ length: 50 }, (_, i) => 1000 + i),
      );
      const both = await api.metric.series({ runIds: ['m1', 'seed-1'], keys: ['acc', 'loss'] });
      expect(both.map((s) => [s.runId, s.key, s.downsampled, s.points.length <= 1000])).toEqual([
        ['m1', 'acc', true, true],
        ['m1', 'loss', false, true],
        ['seed-1', 'acc', false, true],
        ['seed-1', 'loss', false, true],
      ]);
      expect(both[1]?.points).toHaveLength(1000);
      expect(both[2]?.points).toEqual([]);
    });

    it('exports a run as CSV and JSON', async () => {
      const csv = await api.export.run({ runId: 'm1', format: 'csv' });
      const lines = csv.content.trim().split('\n');
      expect(lines[0]).toBe('key,step,epoch,value,wall_time');
      expect(lines).toHaveLength(1 + 1000 + 5001 + 3 + 5);
      expect(lines).toContain(
        `weird,0,0,NaN,${lines.find((l) => l.startsWith('weird,0,'))?.split(',')[4]}`,
      );
      const json = JSON.parse((await api.export.run({ runId: 'm1', format: 'json' })).content);
      expect(json.run.id).toBe('m1');
      expect(json.points).toHaveLength(6009);
      expect(json.points.find((p: { key: string }) => p.key === 'weird').value).toBe('NaN');
    });
  });

  describe('tags and artifacts', () => {
    it('creates, lists with counts, renames, attaches, detaches and deletes tags', async () => {
      await api.run.create({ id: 't1' });
      await api.tag.create({ name: 'baseline', colour: '#22c55e' });
      await expectCode(api.tag.create({ name: 'baseline' }), ['CONFLICT']);
      await api.tag.attach({ runId: 't1', name: 'baseline' });
      const run = await api.tag.attach({ runId: 't1', name: 'new one', colour: '#ef4444' });
      expect(run.tags.map((t) => [t.name, t.colour])).toEqual([
        ['baseline', '#22c55e'],
        ['new one', '#ef4444'],
      ]);
      await api.tag.rename({ name: 'new one', newName: 'renamed' });
      await api.tag.update({ name: 'renamed', notes: 'what it means to me' });
      const tags = await api.tag.list();
      expect(tags.find((t) => t.name === 'renamed')).toMatchObject({
        runCount: 1,
        notes: 'what it means to me',
      });
      const detached = await api.tag.detach({ runId: 't1', name: 'renamed' });
      expect(detached.tags.map((t) => t.name)).toEqual(['baseline']);
      await api.tag.delete({ name: 'baseline' });
      expect((await api.run.get({ runId: 't1' })).tags).toEqual([]);
    });

    it('registers inline and located artifacts and returns their bytes', async () => {
      await api.run.create({ id: 'a1' });
      const matrix = Buffer.from(
        JSON.stringify([
          [5, 1],
          [0, 6],
        ]),
      );
      const inline = await api.artifact.register({
        runId: 'a1',
        kind: 'confusion_matrix',
        name: 'confusion.json',
        contentBase64: matrix.toString('base64'),
        meta: { classes: ['cat', 'dog'] },
      });
      expect(inline.size).toBe(matrix.length);
      expect(inline.sha256).toMatch(/^[0-9a-f]{64}$/);
      await api.artifact.register({
        runId: 'a1',
        kind: 'model',
        name: 'model',
        location: '/tmp/model.json',
        size: 10,
        sha256: 'a'.repeat(64),
      });
      const list = await api.artifact.list({ runId: 'a1' });
      expect(list.map((a) => a.name)).toEqual(['confusion.json', 'model']);
      const got = await api.artifact.get({ id: inline.id });
      expect(Buffer.from(got.contentBase64!, 'base64').toString()).toBe(matrix.toString());
      await expectCode(
        api.artifact.register({
          runId: 'a1',
          kind: 'file',
          name: 'x',
          contentBase64: 'aGk=',
          sha256: 'b'.repeat(64),
        }),
        ['BAD_REQUEST'],
      );
    });
  });

  describe('insights', () => {
    // The seed's shape: training accuracy 0.6 → 0.99, validation stuck near 0.6, val loss rising from epoch 3.
    const seedEpochs = (runId: string, n: number) => ({
      runId,
      columns: {
        key: Array.from({ length: n }, () => [
          'loss',
          'accuracy',
          'val_loss',
          'val_accuracy',
        ]).flat(),
        step: Array.from({ length: n }, (_, i) => [i + 1, i + 1, i + 1, i + 1]).flat(),
        epoch: Array.from({ length: n }, (_, i) => [i + 1, i + 1, i + 1, i + 1]).flat(),
        value: Array.from({ length: n }, (_, i) => {
          const e = i + 1;
          return [
            1.2 * 0.85 ** e,
            0.6 + (0.39 * (e - 1)) / 24,
            e <= 2 ? 1.1 - 0.05 * e : 1 + 0.08 * (e - 2),
            0.6 + 0.01 * Math.sin(e),
          ];
        }).flat(),
      },
    });

    it('diagnoses as epochs arrive, filters run.list by finding, and compares with the previous run', async () => {
      await api.run.create({
        id: 'ins-base',
        params: { optimizer: 'rmsprop', lr: 0.001, dropout: 0.5 },
      });
      await api.metric.logBatch(seedEpochs('ins-base', 3));
      await api.run.create({
        id: 'ins-seed',
        params: { optimizer: 'rmsprop', lr: 0.001, dropout: 0 },
      });
      await api.metric.logBatch(seedEpochs('ins-seed', 2));
      expect((await api.run.get({ runId: 'ins-seed' })).insights.kinds).not.toContain(
        'overfitting',
      );
      await api.metric.logBatch(seedEpochs('ins-seed', 12));
      const run = await api.run.get({ runId: 'ins-seed' });
      expect(run.insights.kinds).toContain('overfitting');
      const listed = await api.run.list({ insight: 'overfitting' });
      expect(listed.items.map((r) => [r.id, r.insights.kinds])).toEqual([
        ['ins-seed', run.insights.kinds],
      ]);

      const { diagnosis, comparison } = await api.insight.run({ runId: 'ins-seed' });
      const finding = diagnosis.findings.find((f) => f.kind === 'overfitting')!;
      // The onset: the last epoch at the bottom of the smoothed validation loss.
      expect(finding.onsetEpoch).toBe(3);
      expect(diagnosis.verdict.kind).toBe('overfitting');
      const dropout = finding.nextSteps.find((s) => s.flags === '--dropout 0.5');
      // ins-base already had dropout 0.5: the step says what happened there.
      expect(dropout?.tried).toMatch(/^tried in .*: best val_accuracy/);
      expect(comparison).toMatchObject({
        baselineRunId: 'ins-base',
        paramChanges: [{ key: 'dropout', from: 0.5, to: 0 }],
      });
      expect(comparison?.summary).toMatch(/^dropout 0\.5 → 0: best val_accuracy/);

      // Accepting the suggested tag is attaching it.
      await api.tag.attach({ runId: 'ins-seed', name: finding.suggestedTag });
      expect((await api.run.get({ runId: 'ins-seed' })).tags.map((t) => t.name)).toEqual([
        'overfitting',
      ]);
      expect((await api.run.list({ tags: ['overfitting'] })).items.map((r) => r.id)).toContain(
        'ins-seed',
      );
      await expectCode(api.insight.run({ runId: 'ins-seed', baselineRunId: 'nobody' }), [
        'NOT_FOUND',
      ]);
    });

    it('reads the diagnoses kept on the runs: the same as made from the curves, remade when kept by other rules', async () => {
      const fromCurves = async (runId: string, earlierIds: string[]) => {
        const read = async (id: string) => {
          const r = await api.run.get({ runId: id });
          return {
            id,
            name: r.name,
            params: r.params,
            env: r.env,
            epochs: await readEpochMetrics(h.store.sql, id),
          };
        };
        const run = await read(runId);
        return diagnose({ ...run, earlier: await Promise.all(earlierIds.map(read)) });
      };
      const kept = await api.insight.run({ runId: 'ins-seed' });
      expect(kept.diagnosis).toEqual(await fromCurves('ins-seed', ['ins-base']));
      // As if ins-seed's and ins-base's diagnoses had been kept by rules of another version.
      const stored = (await api.run.get({ runId: 'ins-seed' })).insights;
      for (const id of ['ins-seed', 'ins-base']) {
        await h.store.prisma.run.update({
          where: { id },
          data: {
            insights: {
              ...stored,
              version: diagnosisVersion - 1,
              diagnosis: { ...stored.diagnosis, findings: [] },
            } as object,
          },
        });
      }
      expect(await api.insight.run({ runId: 'ins-seed' })).toEqual(kept);
      // The next epochs keep a current one again.
      await api.metric.logBatch(seedEpochs('ins-seed', 13));
      expect((await api.run.get({ runId: 'ins-seed' })).insights.version).toBe(diagnosisVersion);
      expect((await api.insight.run({ runId: 'ins-seed' })).diagnosis).toEqual(
        await fromCurves('ins-seed', ['ins-base']),
      );
    });

    it('refreshes on finish, from params alone', async () => {
      await api.run.create({
        id: 'ins-unit',
        params: { weights: 'imagenet', preprocessing: 'unit' },
      });
      expect((await api.run.get({ runId: 'ins-unit' })).insights.kinds).toBeUndefined();
      const finished = await api.run.finish({ runId: 'ins-unit', status: 'finished' });
      expect(finished.insights.kinds).toEqual(['preprocessing_mismatch']);
    });

    it('keeps a lab notebook: what changed run to run, findings, tag notes', async () => {
      await api.tag.update({
        name: 'overfitting',
        notes: 'val loss up, train loss down. Dropout 0.5 helped.',
      });
      const { entries, tags } = await api.insight.notebook({ limit: 200 });
      const seed = entries.find((e) => e.id === 'ins-seed')!;
      expect(seed.findings).toContain('overfitting');
      expect(seed.tags.map((t) => t.name)).toContain('overfitting');
      expect(seed.previous?.id).toBe('ins-base');
      expect(seed.change?.summary).toMatch(/^dropout 0\.5 → 0/);
      expect(entries.map((e) => e.id).indexOf('ins-unit')).toBeLessThan(
        entries.map((e) => e.id).indexOf('ins-seed'),
      );
      expect(tags).toContainEqual(
        expect.objectContaining({
          name: 'overfitting',
          notes: 'val loss up, train loss down. Dropout 0.5 helped.',
        }),
      );
    });
  });

  describe('heartbeats and the watchdog', () => {
    it('marks silent running runs crashed, and a heartbeat revives them', async () => {
      await api.run.create({ id: 'hb' });
      await api.run.create({ id: 'hb-done' });
      await api.run.finish({ runId: 'hb-done', status: 'finished' });
      await new Promise((done) => setTimeout(done, 30));
      const swept = await sweepStaleRuns(h, 10);
      expect(swept).toContain('hb');
      expect(swept).not.toContain('hb-done');
      expect(await api.run.get({ runId: 'hb' })).toMatchObject({ status: 'crashed' });
      expect((await api.run.get({ runId: 'hb' })).statusReason).toMatch(/No heartbeat/);
      expect(await api.run.heartbeat({ runId: 'hb' })).toMatchObject({
        status: 'running',
        revived: true,
      });
      expect(await sweepStaleRuns(h, 60_000)).not.toContain('hb');
      expect(await api.run.heartbeat({ runId: 'hb-done' })).toMatchObject({
        status: 'finished',
        revived: false,
      });
    });
  });

  describe('malformed input', () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const tooMany = points('loss', 0, 10_001);
    const cases: [string, (api: Api) => Promise<unknown>][] = [
      [
        'logBatch to an unknown run',
        (a) => a.metric.logBatch({ runId: 'nope', points: points('loss', 0, 3) }),
      ],
      ['10,001-point batch', (a) => a.metric.logBatch({ runId: 'bad', points: tooMany })],
      ['empty batch', (a) => a.metric.logBatch({ runId: 'bad', points: [] })],
      [
        'NaN step',
        (a) =>
          a.metric.logBatch({
            runId: 'bad',
            points: [{ key: 'loss', step: Number.NaN, value: 1 }],
          }),
      ],
      [
        'negative step',
        (a) => a.metric.logBatch({ runId: 'bad', points: [{ key: 'loss', step: -1, value: 1 }] }),
      ],
      [
        'fractional step',
        (a) => a.metric.logBatch({ runId: 'bad', points: [{ key: 'loss', step: 1.5, value: 1 }] }),
      ],
      [
        'string value',
        (a) =>
          a.metric.logBatch({
            runId: 'bad',
            points: [{ key: 'loss', step: 1, value: '1' as never }],
          }),
      ],
      [
        'empty key',
        (a) => a.metric.logBatch({ runId: 'bad', points: [{ key: '', step: 1, value: 1 }] }),
      ],
      [
        'key with a quote',
        (a) => a.metric.logBatch({ runId: 'bad', points: [{ key: "lo'ss", step: 1, value: 1 }] }),
      ],
      [
        'one bad point among good ones',
        (a) =>
          a.metric.logBatch({
            runId: 'bad',
            points: [...points('loss', 0, 50), { key: 'loss', step: -5, value: 1 }],
          }),
      ],
      ['10 MB note', (a) => a.run.update({ runId: 'bad', notes: big })],
      ['update with nothing', (a) => a.run.update({ runId: 'bad' })],
      ['get unknown run', (a) => a.run.get({ runId: 'missing' })],
      ['runId with spaces', (a) => a.run.get({ runId: 'a b' })],
      ['runId of wrong type', (a) => a.run.get({ runId: 42 as never })],
      [
        'finish with an unknown status',
        (a) => a.run.finish({ runId: 'bad', status: 'exploded' as never }),
      ],
      ['finish an unknown run', (a) => a.run.finish({ runId: 'ghost', status: 'finished' })],
      ['tag name with quotes and SQL', (a) => a.tag.create({ name: "x'); DROP TABLE runs; --" })],
      ['tag name with double quotes', (a) => a.tag.attach({ runId: 'bad', name: '"quoted"' })],
      ['tag name of spaces only', (a) => a.tag.create({ name: '   ' })],
      ['tag colour not hex', (a) => a.tag.create({ name: 'ok', colour: 'red' })],
      ['rename an unknown tag', (a) => a.tag.rename({ name: 'no-such-tag', newName: 'whatever' })],
      ['attach to an unknown run', (a) => a.tag.attach({ runId: 'ghost', name: 'fine' })],
      ['series with no runs', (a) => a.metric.series({ runIds: [], keys: ['loss'] })],
      [
        'series with fromStep > toStep',
        (a) => a.metric.series({ runIds: ['bad'], keys: ['loss'], fromStep: 10, toStep: 2 }),
      ],
      [
        'series maxPoints 0',
        (a) => a.metric.series({ runIds: ['bad'], keys: ['loss'], maxPoints: 0 }),
      ],
      ['list with a forged cursor', (a) => a.run.list({ cursor: 'bm90IGEgY3Vyc29y' })],
      ['list sorted by SQL', (a) => a.run.list({ sortBy: "x'; DROP TABLE runs; --" })],
      ['params that are not an object', (a) => a.run.create({ id: 'p1', params: [1, 2] as never })],
      [
        'artifact with both location and bytes',
        (a) =>
          a.artifact.register({
            runId: 'bad',
            kind: 'file',
            name: 'f',
            location: '/x',
            contentBase64: 'aGk=',
          }),
      ],
      [
        'artifact of unknown kind',
        (a) =>
          a.artifact.register({
            runId: 'bad',
            kind: 'movie' as never,
            name: 'f',
            contentBase64: 'aGk=',
          }),
      ],
      ['artifact id not a uuid', (a) => a.artifact.get({ id: '1; DROP' })],
      [
        'export in an unknown format',
        (a) => a.export.run({ runId: 'bad', format: 'xml' as never }),
      ],
    ];

    beforeAll(async () => {
      await api.run.create({ id: 'bad', name: 'untouched', notes: 'original' });
    });

    it.each(cases)(
      '%s → a clear BAD_REQUEST or NOT_FOUND, nothing written',
      async (_name, call) => {
        const count = async () =>
          (
            await h.store.sql.query<{ n: string }>(
              `SELECT (SELECT count(*) FROM metric_points) + (SELECT count(*) FROM runs) + (SELECT count(*) FROM tags)
               + (SELECT count(*) FROM artifacts) + (SELECT count(*) FROM run_tags) AS n`,
            )
          )[0]?.n;
        const before = await count();
        await expectCode(call(api), ['BAD_REQUEST', 'NOT_FOUND']);
        expect(await count()).toBe(before);
        expect(await api.run.get({ runId: 'bad' })).toMatchObject({
          name: 'untouched',
          notes: 'original',
        });
      },
    );
  });
});
