import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../cli.js';
import { fixedOnly, flagOf, trainKey } from './sweep-keys.js';
import { type SweepSpec, sweepDefaults } from './sweep-spec.js';
import { listOf, parseSweepValue, type SweepValue } from './sweep-values.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const whole = (min: number, max: number) =>
  z.number().int(`expected a whole number from ${min} to ${max}`).min(min).max(max);

const paramValue = z.union(
  [
    z.array(scalar),
    scalar,
    z
      .object({
        min: z.number(),
        max: z.number(),
        scale: z.enum(['linear', 'log']).default('linear'),
      })
      .strict(),
  ],
  {
    error:
      'expected a list [a, b], a value, "a,b", "min..max", "log:min..max" or {min, max, scale}',
  },
);

/** A sweep file (YAML or JSON): what flags say, for sweeps too long to type. */
const sweepFileSchema = z
  .object({
    name: z.string().trim().min(1, 'expected a name').max(200),
    search: z
      .enum(['grid', 'random'], { error: 'expected grid or random' })
      .default(sweepDefaults.search),
    trials: whole(1, 10_000).optional(),
    sampleSeed: z.number().int().default(sweepDefaults.sampleSeed),
    maxAttempts: whole(1, 10).default(sweepDefaults.maxAttempts),
    leaseSeconds: whole(10, 3600).default(sweepDefaults.leaseSeconds),
    earlyStopping: z
      .object({
        median: z
          .object({
            minTrials: whole(1, 10_000).default(3),
            fromEpoch: whole(1, 10_000).default(2),
          })
          .strict()
          .optional(),
        diagnosis: z
          .object({ patience: whole(0, 10_000).default(3) })
          .strict()
          .optional(),
      })
      .strict()
      .default({}),
    params: z.record(z.string(), paramValue).default({}),
    fixed: z.record(z.string(), z.union([scalar, z.array(z.string())])).default({}),
  })
  .strict();

function toValue(where: string, value: z.output<typeof paramValue>): SweepValue {
  if (Array.isArray(value)) return listOf(where, value);
  if (typeof value === 'object') {
    if (value.min > value.max)
      throw new UsageError(`${where}: range has min ${value.min} above max ${value.max}`);
    if (value.scale === 'log' && value.min <= 0)
      throw new UsageError(`${where}: a log range needs min > 0 (got ${value.min})`);
    return { kind: 'range', scale: value.scale, min: value.min, max: value.max };
  }
  return typeof value === 'string' ? parseSweepValue(where, value) : listOf(where, [value]);
}

/** Reads and checks a sweep file; every error names the file and the key. */
export function readSweepFile(path: string): SweepSpec {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--file: cannot read ${path} (${(error as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new UsageError(
      `--file: ${path} is not valid ${/\.json$/i.test(path) ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
  const parsed = sweepFileSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const keys = 'keys' in issue ? (issue.keys as string[]) : [];
      const at = [...issue.path, ...(keys.length === 1 ? keys : [])].join('.') || '(top level)';
      const message = issue.code === 'unrecognized_keys' ? 'unknown key' : issue.message;
      return `${path}: ${at}: ${message}`;
    });
    throw new UsageError(lines.join('\n'));
  }
  const file = parsed.data;
  const params: Record<string, SweepValue> = {};
  for (const [name, value] of Object.entries(file.params)) {
    const where = `${path}: params.${name}`;
    const key = trainKey(name, where);
    if (fixedOnly.has(key))
      throw new UsageError(
        `${where}: ${flagOf(key)} takes one value for every config: put it under fixed`,
      );
    params[key] = toValue(where, value);
  }
  const fixed: SweepSpec['fixed'] = {};
  for (const [name, value] of Object.entries(file.fixed)) {
    const key = trainKey(name, `${path}: fixed.${name}`);
    fixed[key] = typeof value === 'boolean' ? String(value) : value;
  }
  return { ...file, params, fixed, trials: file.trials };
}
