import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineParams } from './inline-params.js';
import { postgresUnavailable, testServerUrl } from './testing.js';

const text =
  'SELECT $1::float8[] AS floats, $2::int[] AS ints, $3::text[] AS texts, $4 AS one, $5::float8 AS nan';
const params = [
  [0.1 + 0.2, 1e-300, -1.5e300, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0],
  [1, null, -2_147_483_648, 2_147_483_647],
  ['loss', 'it\'s "quoted" \\ with a backslash', 'batch/loss', '{a,b}', null, 'NULL'],
  "O'Brien\\",
  Number.NaN,
];

describe.skipIf(postgresUnavailable)('inlineParams on Postgres', () => {
  const client = new pg.Client({ connectionString: testServerUrl });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it('reads back exactly what the same parameters bound read back', async () => {
    const bound = await client.query(text, params);
    const inlined = inlineParams(text, params);
    expect(inlined).toBeDefined();
    const written = await client.query(inlined!);
    expect(written.rows).toEqual(bound.rows);
    expect(written.rows[0].floats[0]).toBe(0.1 + 0.2);
    expect(written.rows[0].texts[4]).toBeNull();
    expect(written.rows[0].texts[5]).toBe('NULL');
  });

  it('leaves parameters it cannot write as literals to be bound', () => {
    expect(inlineParams('SELECT $1', [new Date()])).toBeUndefined();
    expect(inlineParams('SELECT $1', [[[1, 2]]])).toBeUndefined();
    expect(inlineParams('SELECT $1', [true])).toBeUndefined();
  });
});
