import { describe, expect, it } from 'vitest';
import { parseLogBatch } from './log-batch.parse.js';
import { logBatchInput } from './log-batch.schema.js';

const steps = [0, 1, 2];
const good = {
  runId: 'r1',
  columns: { key: 'loss', step: steps, value: [1, Number.NaN, -Infinity] },
};
const withColumns = (columns: Record<string, unknown>) => ({
  runId: 'r1',
  columns: { ...good.columns, ...columns },
});

// Each case goes through parseLogBatch and through the zod schema alone: both must accept
// it with the same result, or refuse it with the same message.
const cases: [string, unknown][] = [
  ['columns', good],
  ['epoch and wallTime as one value', withColumns({ epoch: 3, wallTime: 1_700_000_000_000 })],
  ['epoch null', withColumns({ epoch: null })],
  [
    'per-point columns',
    withColumns({ key: ['a', 'b/c', 'd e'], epoch: [1, null, 2], wallTime: [0, 1, 8.64e15] }),
  ],
  ['keys the schema does not name', { ...withColumns({ extra: 1 }), other: true }],
  ['a fractional step', withColumns({ step: [0, 1.5, 2] })],
  ['a negative step', withColumns({ step: [0, -1, 2] })],
  ['a step past int4', withColumns({ step: [0, 2 ** 31, 2] })],
  ['a step as a string', withColumns({ step: [0, '1', 2] })],
  ['no steps', withColumns({ step: [], value: [] })],
  ['too many steps', withColumns({ step: Array.from({ length: 10_001 }, (_, i) => i), value: [] })],
  ['a value that is not a number', withColumns({ value: [1, null, 2] })],
  ['fewer values than steps', withColumns({ value: [1, 2] })],
  ['a key with a bad character', withColumns({ key: 'loss<script>' })],
  ['an empty key in a key column', withColumns({ key: ['a', '', 'b'] })],
  ['a key column of the wrong length', withColumns({ key: ['a', 'b'] })],
  ['a fractional epoch', withColumns({ epoch: 1.5 })],
  ['an epoch column with a negative', withColumns({ epoch: [1, -1, 2] })],
  ['a wallTime past the latest date', withColumns({ wallTime: 8.64e15 + 1 })],
  ['a wallTime column with a fraction', withColumns({ wallTime: [1, 2.5, 3] })],
  ['a bad run id', { ...good, runId: 'a b' }],
  ['both points and columns', { ...good, points: [{ key: 'loss', step: 1, value: 1 }] }],
  ['points', { runId: 'r1', points: [{ key: 'loss', step: 1, value: 1, epoch: null }] }],
  ['neither', { runId: 'r1' }],
  ['columns that are not an object', { runId: 'r1', columns: [1] }],
];

const outcome = (parse: () => unknown) => {
  try {
    return { value: parse() };
  } catch (error) {
    return { error: (error as Error).message };
  }
};

describe('parseLogBatch', () => {
  it.each(cases)('agrees with the schema: %s', (_, input) => {
    const fast = outcome(() => parseLogBatch(input as never));
    const schema = outcome(() => logBatchInput.parse(input));
    expect(fast).toEqual(schema);
  });

  it('refuses bad columns with the message that names the field', () => {
    expect(() => parseLogBatch(withColumns({ step: [0, 1.5, 2] }) as never)).toThrow(
      /step: expected an integer/,
    );
    expect(() => parseLogBatch(withColumns({ value: [1, 2] }) as never)).toThrow(
      /columns\.value: expected 3 entries \(one per step\), got 2/,
    );
  });
});
