import type { SweepValue } from './sweep-values.js';

/** What `pnpm sweep` was asked, from flags or a sweep file: the sweep's record too. */
export interface SweepSpec {
  name: string;
  search: 'grid' | 'random';
  /** Random search: how many configs to sample. */
  trials?: number | undefined;
  /** Random search: the sampler's seed (the same seed, the same configs). */
  sampleSeed: number;
  /** Swept flags (config keys): several values, or a range. */
  params: Record<string, SweepValue>;
  /** Flags every config has (one value each). */
  fixed: Record<string, string | number | string[]>;
  maxAttempts: number;
  leaseSeconds: number;
  earlyStopping: {
    median?: { minTrials: number; fromEpoch: number };
    diagnosis?: { patience: number };
  };
}

export const sweepDefaults = {
  search: 'grid',
  sampleSeed: 0,
  maxAttempts: 3,
  leaseSeconds: 60,
} as const;
