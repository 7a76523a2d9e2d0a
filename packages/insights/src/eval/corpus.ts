import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CurveKind, curveKinds, type EpochMetrics } from '../types.js';

/** The kinds a person labels a corpus run with: the curve verdicts. */
export const corpusKinds = curveKinds;

/**
 * A real run's curves as a fixture: labelled by a person who looked at them (`why` says what
 * they saw), with the onset read by eye for overfitting runs. `split` keeps some runs out of
 * sight while the rules are designed ('holdout'), to check they were not tuned to the rest.
 */
export interface CorpusRun {
  name: string;
  label: CurveKind;
  why: string;
  onsetEpoch?: number;
  split: 'design' | 'holdout';
  params: Record<string, unknown>;
  epochs: EpochMetrics[];
}

export const corpusDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'corpus');

const nonFinite: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/** Reads every fixture of the corpus folder; NaN and ±Infinity are stored as strings. */
export function loadCorpus(dir = corpusDir): CorpusRun[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const raw = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      if (!(corpusKinds as readonly string[]).includes(raw.label)) {
        throw new Error(
          `${file}: label must be one of ${corpusKinds.join(', ')}, got ${raw.label}`,
        );
      }
      const epochs = (raw.epochs as Record<string, unknown>[]).map((e) =>
        Object.fromEntries(
          Object.entries(e).map(([k, v]) => [k, typeof v === 'string' ? nonFinite[v] : v]),
        ),
      ) as unknown as EpochMetrics[];
      return { split: 'design', ...raw, epochs } as CorpusRun;
    });
}
