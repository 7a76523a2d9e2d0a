import { appendFileSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal, listJournals } from './journal.js';

let spool: string;
beforeAll(async () => {
  spool = await mkdtemp(join(tmpdir(), 'trainbook-journal-'));
});
afterAll(async () => {
  await rm(spool, { recursive: true, force: true });
});

const create = (id: string) => ({
  op: 'create' as const,
  input: {
    id,
    name: 'j',
    params: { a: 1 },
    env: {},
    notes: '',
    tags: [],
    startedAt: new Date('2026-12-01T10:00:00Z'),
  },
});

describe('Journal', () => {
  it('keeps ops in order with their seq, and NaN / ±Infinity values as they were', () => {
    const journal = Journal.create(spool, 'run-a');
    journal.append(create('run-a'));
    journal.append({
      op: 'points',
      points: [
        { key: 'loss', step: 1, epoch: 1, value: Number.NaN, wallTime: 1 },
        { key: 'loss', step: 2, epoch: 1, value: Number.POSITIVE_INFINITY, wallTime: 2 },
        { key: 'loss', step: 3, epoch: null, value: Number.NEGATIVE_INFINITY, wallTime: 3 },
        { key: 'accuracy', step: 3, epoch: 2, value: 0.25, wallTime: 4 },
      ],
    });
    journal.append({ op: 'finish', input: { runId: 'run-a', status: 'finished' } });
    journal.close();
    const entries = new Journal(spool, 'run-a').read();
    expect(entries.map((e) => [e.seq, e.op])).toEqual([
      [0, 'create'],
      [1, 'points'],
      [2, 'finish'],
    ]);
    const first = entries[0]!;
    expect(first.op === 'create' && first.input.startedAt).toEqual(
      new Date('2026-12-01T10:00:00Z'),
    );
    const points = entries[1]!;
    expect(points.op === 'points' && points.points.map((p) => p.value)).toEqual([
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      0.25,
    ]);
    expect(points.op === 'points' && points.points.map((p) => p.epoch)).toEqual([1, 1, null, 2]);
    // One line an op, readable by people too.
    expect(readFileSync(journal.path, 'utf8').trim().split('\n')).toHaveLength(3);
    expect(listJournals(spool)).toContain('run-a');
  });

  it('records what was sent, and the owner only while the writer lives', () => {
    const journal = Journal.create(spool, 'run-b');
    journal.append(create('run-b'));
    expect(journal.sentUpTo()).toBe(-1);
    journal.markSent(0);
    expect(new Journal(spool, 'run-b').sentUpTo()).toBe(0);
    journal.close();
    expect(new Journal(spool, 'run-b').liveOwner()).toBeNull();
    journal.remove();
    expect(listJournals(spool)).not.toContain('run-b');
  });

  it('skips a last line cut short by a crash, and names the file and line of a broken one', () => {
    const journal = Journal.create(spool, 'run-c');
    journal.append(create('run-c'));
    journal.close();
    appendFileSync(journal.path, '{"seq":1,"op":"poi');
    expect(new Journal(spool, 'run-c').read()).toHaveLength(1);
    appendFileSync(
      journal.path,
      '\n{"seq":2,"op":"finish","input":{"runId":"run-c","status":"finished"}}\n',
    );
    expect(() => new Journal(spool, 'run-c').read()).toThrow(
      /run-c\.jsonl, line 2: not a journal entry/,
    );
  });
});
