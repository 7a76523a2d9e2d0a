import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { openTestStore, storeKinds } from '@trainbook/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveEvents } from './events.js';
import { createApiServer } from './http.js';
import { type Api, errorCode, type Harness, startHarness } from './testing.js';

/** The repository's folder: no answer may show where the tracker's files are. */
const repoRoot = join(import.meta.dirname, '../../..');

async function refusal(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected the call to be refused');
    },
    (error: Error) => error,
  );
}

/** A call refused as BAD_REQUEST with a message that names `field`. */
async function expectBadRequest(promise: Promise<unknown>, field: string | RegExp) {
  const error = await refusal(promise);
  expect(errorCode(error), error.message).toBe('BAD_REQUEST');
  expect(error.message).toMatch(field);
  return error;
}

const nul = 'a\u0000b';

describe.each(storeKinds)('hardened API edge on %s over HTTP', (kind) => {
  let h: Harness;
  let api: Api;
  beforeAll(async () => {
    h = await startHarness(kind, 'http');
    api = h.api;
    await api.run.create({ id: 'h1', name: 'hardened', notes: 'original' });
  });
  afterAll(() => h.close());

  /** POSTs raw text to a procedure, as a client other than ours might. */
  const post = (path: string, body: string) =>
    fetch(`${h.url}/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

  describe('NUL characters are refused with the field named, never a 500', () => {
    const cases: [string, RegExp, (a: Api) => Promise<unknown>][] = [
      ['run name', /name/, (a) => a.run.create({ id: 'nul-1', name: nul })],
      ['run notes', /notes/, (a) => a.run.create({ id: 'nul-2', notes: nul })],
      ['params value', /params\.lr/, (a) => a.run.create({ id: 'nul-3', params: { lr: nul } })],
      ['params key', /params/, (a) => a.run.create({ id: 'nul-4', params: { [nul]: 1 } })],
      ['nested env value', /env\.git\.0/, (a) => a.run.create({ env: { git: [nul] } })],
      ['update notes', /notes/, (a) => a.run.update({ runId: 'h1', notes: nul })],
      ['update name', /name/, (a) => a.run.update({ runId: 'h1', name: nul })],
      ['summary key', /summary/, (a) => a.run.update({ runId: 'h1', summary: { [nul]: 1 } })],
      [
        'finish reason',
        /reason/,
        (a) => a.run.finish({ runId: 'h1', status: 'failed', reason: nul }),
      ],
      ['list text', /text/, (a) => a.run.list({ text: nul })],
      ['list params value', /params\.opt/, (a) => a.run.list({ params: { opt: nul } })],
      ['list params key', /params/, (a) => a.run.list({ params: { [nul]: 1 } })],
      ['tag name', /tag/, (a) => a.tag.create({ name: nul })],
      ['tag notes', /notes/, (a) => a.tag.create({ name: 'nul-notes', notes: nul })],
      [
        'tag update notes',
        /notes/,
        async (a) => {
          await a.tag.create({ name: 'nul-update' }).catch(() => {});
          return a.tag.update({ name: 'nul-update', notes: nul });
        },
      ],
      [
        'artifact name',
        /name/,
        (a) => a.artifact.register({ runId: 'h1', kind: 'file', name: nul, contentBase64: '' }),
      ],
      [
        'artifact meta',
        /meta\.x/,
        (a) =>
          a.artifact.register({
            runId: 'h1',
            kind: 'file',
            name: 'f',
            contentBase64: '',
            meta: { x: nul },
          }),
      ],
      [
        'artifact location',
        /location/,
        (a) =>
          a.artifact.register({
            runId: 'h1',
            kind: 'model',
            name: 'm',
            location: `/tmp/${nul}`,
            size: 1,
            sha256: 'a'.repeat(64),
          }),
      ],
    ];
    it.each(cases)('%s', async (_name, field, call) => {
      const error = await expectBadRequest(call(api), field);
      expect(error.message).toMatch(/NUL/);
      expect(await api.run.get({ runId: 'h1' })).toMatchObject({
        name: 'hardened',
        notes: 'original',
      });
    });
  });

  it('registers artifacts of 2 GB and more, up to Number.MAX_SAFE_INTEGER bytes', async () => {
    for (const size of [2 ** 31, 5 * 2 ** 30, Number.MAX_SAFE_INTEGER]) {
      const artifact = await api.artifact.register({
        runId: 'h1',
        kind: 'model',
        name: `model-${size}`,
        location: '/data/model.bin',
        size,
        sha256: 'a'.repeat(64),
      });
      expect(artifact.size).toBe(size);
      expect((await api.artifact.get({ id: artifact.id })).size).toBe(size);
    }
    const listed = await api.artifact.list({ runId: 'h1' });
    expect(listed.map((a) => a.size)).toContain(Number.MAX_SAFE_INTEGER);
    await expectBadRequest(
      api.artifact.register({
        runId: 'h1',
        kind: 'model',
        name: 'too-big',
        location: '/x',
        size: 2 ** 60,
        sha256: 'a'.repeat(64),
      }),
      /size/,
    );
  });

  it('pages through runs sorted by a summary key that some runs lack, each run once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) {
      const id = `page-${i}`;
      ids.push(id);
      await api.run.create({ id, tags: ['paging'] });
      // Runs 1, 2, 4, 5, 7, 8 have the key; 0, 3 and 6 do not, so pages end on runs without it.
      if (i % 3 !== 0) await api.run.update({ runId: id, summary: { score: (i * 7) % 5 } });
    }
    for (const direction of ['asc', 'desc'] as const) {
      for (const limit of [1, 2, 4]) {
        const seen: string[] = [];
        let cursor: string | null | undefined;
        do {
          const page = await api.run.list({
            tags: ['paging'],
            sortBy: 'score',
            direction,
            limit,
            cursor,
          });
          seen.push(...page.items.map((r) => r.id));
          cursor = page.nextCursor;
        } while (cursor);
        expect([...seen].sort(), `${direction} by ${limit}`).toEqual(ids);
        // Runs without the key come last, either way.
        expect(seen.slice(-3).sort()).toEqual(['page-0', 'page-3', 'page-6']);
      }
    }
  });

  it('refuses a wallTime that cannot be a date, naming the field', async () => {
    await expectBadRequest(
      api.metric.logBatch({
        runId: 'h1',
        points: [{ key: 'loss', step: 1, value: 1, wallTime: 9e15 }],
      }),
      /wallTime/,
    );
    await expectBadRequest(
      api.metric.logBatch({
        runId: 'h1',
        columns: { key: 'loss', step: [1], value: [1], wallTime: 9e15 },
      }),
      /wallTime/,
    );
    await expectBadRequest(
      api.metric.logBatch({
        runId: 'h1',
        columns: { key: 'loss', step: [1, 2], value: [1, 2], wallTime: [0, 8.64e15 + 1] },
      }),
      /wallTime/,
    );
    // The latest instant a JavaScript date can hold is fine.
    await api.metric.logBatch({
      runId: 'h1',
      points: [{ key: 'late', step: 1, value: 1, wallTime: 8.64e15 }],
    });
  });

  it('exports and reads a run whose stored wall times no JavaScript date can hold', async () => {
    await api.run.create({ id: 'far-future' });
    await api.metric.logBatch({
      runId: 'far-future',
      points: [
        { key: 'loss', step: 0, value: 1, wallTime: 1_700_000_000_000 },
        { key: 'loss', step: 1, value: 2, wallTime: 1_700_000_000_000 },
      ],
    });
    // Written before the API refused such times: year 287,000.
    await h.store.sql.query(
      `UPDATE metric_points SET wall_time = to_timestamp(9e12)
       WHERE step = 1 AND series_id = (SELECT id FROM metric_series WHERE run_id = 'far-future')`,
    );
    const csv = await api.export.run({ runId: 'far-future', format: 'csv' });
    const lines = csv.content.trim().split('\n');
    expect(lines[1]).toBe('loss,0,,1,2023-11-14T22:13:20.000Z');
    expect(lines[2]).toMatch(/^loss,1,,2,\+?2\d{5}-/);
    const json = JSON.parse(
      (await api.export.run({ runId: 'far-future', format: 'json' })).content,
    );
    expect(json.points).toHaveLength(2);
    const [series] = await api.metric.series({ runIds: ['far-future'], keys: ['loss'] });
    expect(series?.points.map((p) => p.value)).toEqual([1, 2]);
  });

  describe('error answers carry no stack traces or file paths', () => {
    it('for a refused input', async () => {
      const response = await post('run.update', JSON.stringify({ json: { runId: 'h1' } }));
      expect(response.status).toBe(400);
      const body = await response.text();
      expect(body).toContain('expected at least one of name, notes, summary');
      expect(body).not.toMatch(/stack|node_modules|\bat async\b/);
      expect(body).not.toContain(repoRoot);
      const missing = await fetch(
        `${h.url}/run.get?input=${encodeURIComponent('{"json":{"runId":"nope"}}')}`,
      );
      expect(missing.status).toBe(404);
      expect(await missing.text()).not.toMatch(/stack|node_modules/);
    });
  });

  describe('batching and oversized requests', () => {
    it('refuses batched calls with a body that says so', async () => {
      const response = await post(
        'run.create,run.create?batch=1',
        JSON.stringify({ 0: { json: { id: 'b1' } }, 1: { json: { id: 'b2' } } }),
      );
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/[Bb]atching is not enabled/);
      await expect(api.run.get({ runId: 'b1' })).rejects.toThrow();
    });

    it('says why when a query URL is too long', async () => {
      const runIds = Array.from({ length: 10_000 }, (_, i) => `run-${i}`);
      const input = encodeURIComponent(JSON.stringify({ json: { runIds, keys: ['loss'] } }));
      const response = await fetch(`${h.url}/metric.series?input=${input}`);
      expect(response.status).toBe(431);
      expect(await response.text()).toMatch(/too long|too large/i);
      await expectBadRequest(
        api.metric.series({ runIds: runIds.slice(0, 51), keys: ['loss'] }),
        /runIds: at most 50/,
      );
    });
  });

  describe('inputs that used to give unclear rejections', () => {
    it('params nested 5,000 deep: a 400 naming params', async () => {
      const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
      const response = await post('run.create', `{"json":{"id":"deep","params":${deep}}}`);
      expect(response.status).toBe(400);
      const body = await response.text();
      expect(body).toMatch(/params.*deeper than/);
      expect(body).not.toMatch(/call stack/);
    });

    it('a cyclic superjson reference: a 400 naming the field', async () => {
      const response = await post(
        'run.create',
        JSON.stringify({
          json: { id: 'cyclic', params: { a: { self: null } } },
          meta: { referentialEqualities: { params: ['params.a.self'] } },
        }),
      );
      expect(response.status).toBe(400);
      const body = await response.text();
      expect(body).toMatch(/params\.a\.self/);
      expect(body).not.toMatch(/circular structure/);
    });

    it('superjson that cannot be decoded: a 400 that says so', async () => {
      const response = await post(
        'run.create',
        JSON.stringify({ json: { id: 'odd' }, meta: { values: { id: ['no-such-type'] } } }),
      );
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/superjson/);
      const notJson = await post('run.create', '{"json": ');
      expect(notJson.status).toBe(400);
    });
  });

  describe('tag names and run names', () => {
    it('tags are one per name in any case; the first spelling stays', async () => {
      await api.tag.create({ name: 'Baseline' });
      await expectBadRequestOrConflict(api.tag.create({ name: 'baseline' }));
      await api.run.create({ id: 'tagged-1', tags: ['BASELINE'] });
      const run = await api.tag.attach({ runId: 'h1', name: 'baseline' });
      expect(run.tags.map((t) => t.name)).toEqual(['Baseline']);
      expect((await api.run.get({ runId: 'tagged-1' })).tags.map((t) => t.name)).toEqual([
        'Baseline',
      ]);
      const tags = (await api.tag.list()).filter((t) => t.name.toLowerCase() === 'baseline');
      expect(tags).toEqual([expect.objectContaining({ name: 'Baseline', runCount: 2 })]);
      const listed = await api.run.list({ tags: ['bAsElInE'] });
      expect(listed.items.map((r) => r.id).sort()).toEqual(['h1', 'tagged-1']);
      await api.tag.update({ name: 'BASELINE', notes: 'the first run of each sweep' });
      const detached = await api.tag.detach({ runId: 'h1', name: 'baseLINE' });
      expect(detached.tags).toEqual([]);
      // Renaming may change the case of the one tag, but not take another tag's name.
      await api.tag.rename({ name: 'baseline', newName: 'BaseLine' });
      await api.tag.create({ name: 'other' });
      await expectBadRequestOrConflict(api.tag.rename({ name: 'other', newName: 'BASELINE' }));
    });

    it('refuses bidirectional control characters in run, tag and artifact names', async () => {
      const rlo = 'evil\u202Egnp.exe';
      await expectBadRequest(api.run.create({ name: rlo }), /name.*(bidi|direction)/i);
      await expectBadRequest(api.run.update({ runId: 'h1', name: rlo }), /name/);
      await expectBadRequest(api.tag.create({ name: 'a\u2066b' }), /tag/);
      await expectBadRequest(
        api.artifact.register({ runId: 'h1', kind: 'file', name: rlo, contentBase64: '' }),
        /name/,
      );
      // Right-to-left text itself is fine.
      const arabic = await api.run.create({ name: 'تجربة أولى' });
      expect(arabic.run.name).toBe('تجربة أولى');
    });
  });
});

async function expectBadRequestOrConflict(promise: Promise<unknown>) {
  const error = await refusal(promise);
  expect(['CONFLICT', 'BAD_REQUEST']).toContain(errorCode(error));
  expect(error.message).toMatch(/exists|taken/i);
}

// One store is enough: what is tested is the answer, not the store.
describe('an unexpected failure over HTTP', () => {
  it('is a plain 500 answer with no stack or paths; the stack goes to the log', async () => {
    const opened = await openTestStore(storeKinds[0]!);
    const logged: string[] = [];
    const { server } = createApiServer({
      store: opened.store,
      events: new LiveEvents(),
      log: (line) => logged.push(line),
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
    try {
      await opened.dispose(); // the store goes away under the server: every query fails
      const response = await fetch(`${url}/run.create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: { id: 'after-close' } }),
      });
      expect(response.status).toBeGreaterThanOrEqual(500);
      const body = await response.text();
      expect(body).not.toMatch(/stack|node_modules|\.ts:\d+/);
      expect(body).not.toContain(repoRoot);
      expect(logged.join('\n')).toMatch(/run\.create: .*\n\s+at /);
    } finally {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
  });
});
