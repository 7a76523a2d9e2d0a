import { createHash } from 'node:crypto';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export type { RandomGenerator };

/**
 * A generator for one purpose ("shuffle", epoch 3), derived from the run's seed. Each purpose
 * gets its own stream, so changing one (say, turning augmentation on) leaves the others — the
 * shuffle order, the validation split — exactly as they were.
 */
export function randomFor(seed: number, ...purpose: (string | number)[]): RandomGenerator {
  const digest = createHash('sha256')
    .update(JSON.stringify([seed, ...purpose]))
    .digest();
  return xoroshiro128plus(digest.readInt32LE(0));
}

/** Integer in [from, to], both included. */
export function randomInt(rng: RandomGenerator, from: number, to: number): number {
  return uniformInt(rng, from, to);
}

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace(values: Uint32Array, rng: RandomGenerator): Uint32Array {
  for (let i = values.length - 1; i > 0; i -= 1) {
    const j = uniformInt(rng, 0, i);
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
  return values;
}
