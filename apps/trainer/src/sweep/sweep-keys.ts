import { trainConfigSchema, UsageError } from '../cli.js';

/** The flag of a config key, and the key of a flag or file key (camelCase or kebab-case). */
export const flagOf = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
export const keyOf = (name: string) =>
  name.replace(/^--/, '').replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Flags that steer one process, not what a run is: not part of a sweep's configs. */
const processOnly = new Set(['tracker', 'offline', 'quiet', 'json', 'name']);
/** Flags taken verbatim (paths, text): one value for every config, never split into a list. */
export const fixedOnly = new Set(['tag', 'notes', 'data', 'weights']);
/** Whole-number flags: a range over them samples whole numbers. */
export const wholeNumberKeys = new Set([
  'epochs',
  'batchSize',
  'denseUnits',
  'subset',
  'seed',
  'earlyStopping',
]);

export const trainKeys = Object.keys(trainConfigSchema.shape).filter((k) => !processOnly.has(k));

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The config key of a trainer flag; an unknown one is refused with the nearest known flag. */
export function trainKey(name: string, where: string): string {
  const key = keyOf(name);
  if (trainKeys.includes(key)) return key;
  if (processOnly.has(key))
    throw new UsageError(
      `${where}: not part of a run's config in a sweep (the worker sets ${flagOf(key)})`,
    );
  const nearest = [...trainKeys].sort((a, b) => distance(key, a) - distance(key, b))[0]!;
  const hint = distance(key, nearest) <= 3 ? ` (did you mean ${flagOf(nearest)}?)` : '';
  throw new UsageError(`${where}: not a flag of pnpm train${hint}`);
}
