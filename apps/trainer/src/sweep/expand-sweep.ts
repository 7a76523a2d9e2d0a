import { maxTrials } from '@trainbook/api';
import { trainConfigSchema, UsageError } from '../cli.js';
import { randomFor } from '../data/seeded-random.js';
import { flagOf, wholeNumberKeys } from './sweep-keys.js';
import type { SweepSpec } from './sweep-spec.js';
import { describeValue, type SweepValue } from './sweep-values.js';

export interface Trial {
  /** The swept values of this config. */
  params: Record<string, string | number>;
  /** Every flag of the config (fixed and swept), as `pnpm train` takes them. */
  config: Record<string, string | number | string[]>;
}

/** "augment 3 × dropout 3" or "20 samples of lr log:1e-5..1e-2, dropout 0,0.3". */
export function describeSearch(spec: SweepSpec): string {
  const entries = Object.entries(spec.params);
  if (spec.search === 'grid')
    return `grid: ${entries.map(([k, v]) => `${k} ${v.kind === 'list' ? v.values.length : '?'}`).join(' × ') || 'one config'}`;
  return `random: ${spec.trials} samples of ${entries.map(([k, v]) => `${k} ${describeValue(v)}`).join(', ')}`;
}

function gridSize(spec: SweepSpec): number {
  let size = 1;
  for (const [key, value] of Object.entries(spec.params)) {
    if (value.kind === 'range')
      throw new UsageError(
        `${flagOf(key)}: a range (${describeValue(value)}) needs --search random --trials N; for a grid give a list, e.g. ${flagOf(key)} ${value.min},${value.max}`,
      );
    size *= value.values.length;
  }
  return size;
}

function sample(value: SweepValue, key: string, rng: ReturnType<typeof randomFor>) {
  const u = rng.next() / 2 ** 32 + 0.5; // [0, 1): a signed 32-bit draw, shifted
  if (value.kind === 'list') return value.values[Math.floor(u * value.values.length)]!;
  const x =
    value.scale === 'log'
      ? Math.exp(Math.log(value.min) + u * (Math.log(value.max) - Math.log(value.min)))
      : value.min + u * (value.max - value.min);
  return wholeNumberKeys.has(key) ? Math.round(x) : Number(x.toPrecision(4));
}

/**
 * The sweep's configs: every combination of the lists (grid), or `trials` samples (random,
 * seeded). Each is checked with the trainer's own flag schema; nothing is returned unless
 * every one passes. More than 10,000 configs are refused before any is built.
 */
export function expandSweep(spec: SweepSpec): Trial[] {
  const keys = Object.keys(spec.params);
  const combos: Array<Record<string, string | number>> = [];
  if (spec.search === 'grid') {
    const size = gridSize(spec);
    if (size > maxTrials)
      throw new UsageError(
        `a grid of ${size.toLocaleString('en-US')} configs (${describeSearch(spec).slice(6)}) is over the limit of ${maxTrials.toLocaleString('en-US')}: give fewer values, or --search random --trials N`,
      );
    combos.push({});
    for (const key of keys) {
      const values = (spec.params[key] as { values: Array<string | number> }).values;
      const next = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
      combos.splice(0, combos.length, ...next);
    }
  } else {
    const n = spec.trials;
    if (n === undefined || !Number.isInteger(n) || n < 1 || n > maxTrials)
      throw new UsageError(
        `--trials: --search random needs a number of configs from 1 to ${maxTrials.toLocaleString('en-US')}${n === undefined ? '' : ` (got ${n})`}`,
      );
    for (let i = 0; i < n; i++) {
      combos.push(
        Object.fromEntries(
          keys.map((k) => [
            k,
            sample(spec.params[k]!, k, randomFor(spec.sampleSeed, 'sweep', i, k)),
          ]),
        ),
      );
    }
  }
  const trials = combos.map((params) => ({ params, config: { ...spec.fixed, ...params } }));
  const problems = new Map<string, string>();
  trials.forEach((trial, index) => {
    const parsed = trainConfigSchema.safeParse(trial.config);
    if (parsed.success) return;
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? '');
      const value = JSON.stringify(trial.config[key]);
      const line = `${flagOf(key)} ${value}: ${issue.message}`;
      if (!problems.has(line)) problems.set(line, `config ${index}`);
    }
  });
  if (problems.size > 0) {
    const lines = [...problems].slice(0, 8).map(([line, where]) => `  ${line} (first in ${where})`);
    const more = problems.size > 8 ? `\n  … and ${problems.size - 8} more` : '';
    throw new UsageError(
      `the sweep has configs pnpm train would refuse; nothing was created:\n${lines.join('\n')}${more}`,
    );
  }
  return trials;
}

/** `pnpm train`'s arguments for a config (what the worker trains). */
export function trainArgs(config: Record<string, unknown>): string[] {
  return Object.entries(config).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).flatMap((v) => [flagOf(key), String(v)]),
  );
}

/** The config as a command to paste: `pnpm train --dropout 0.3 …`. */
export function trainCommand(config: Record<string, unknown>): string {
  const quote = (v: string) => (/^[\w.,:+=/@-]+$/.test(v) ? v : JSON.stringify(v));
  return ['pnpm train', ...trainArgs(config).map(quote)].join(' ');
}
