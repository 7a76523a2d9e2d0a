import { UsageError } from '../cli.js';

/** A flag's value in a sweep: one value or several to try, or a range to sample from. */
export type SweepValue =
  | { kind: 'list'; values: Array<string | number> }
  | { kind: 'range'; scale: 'linear' | 'log'; min: number; max: number };

const number = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** "0.3" → 0.3, "flip" → "flip": numbers stay numbers in the sweep's params. */
export const typed = (text: string): string | number => (number.test(text) ? Number(text) : text);

/**
 * Reads a flag's text: `a,b,c` (a list; a bare value is a list of one), `min..max` (a uniform
 * range), `log:min..max` (log-uniform). Each error names the flag and what is accepted.
 */
export function parseSweepValue(flag: string, text: string): SweepValue {
  const trimmed = text.trim();
  if (trimmed === '')
    throw new UsageError(`${flag}: expected a value, a list (a,b,c) or a range (min..max)`);
  const range = trimmed.match(/^(log:|lin:)?([^.,][^,]*?)\.\.([^,]+)$/);
  if (range) {
    const scale = range[1] === 'log:' ? 'log' : 'linear';
    const [min, max] = [range[2]!, range[3]!].map((v) => v.trim());
    if (!number.test(min!) || !number.test(max!))
      throw new UsageError(
        `${flag}: a range is min..max of two numbers, e.g. 0..0.5 or log:1e-5..1e-2 (got "${text}")`,
      );
    const [lo, hi] = [Number(min), Number(max)];
    if (lo > hi) throw new UsageError(`${flag}: range ${trimmed} has min ${lo} above max ${hi}`);
    if (scale === 'log' && lo <= 0)
      throw new UsageError(`${flag}: a log range needs min > 0 (got ${trimmed})`);
    return { kind: 'range', scale, min: lo, max: hi };
  }
  const items = trimmed.split(',').map((v) => v.trim());
  if (items.some((v) => v === ''))
    throw new UsageError(`${flag}: empty value in the list "${text}" (expected a,b,c)`);
  return { kind: 'list', values: items.map(typed) };
}

/** A list from a sweep file: YAML/JSON values as they are. */
export function listOf(flag: string, values: unknown[]): SweepValue {
  if (values.length === 0)
    throw new UsageError(`${flag}: empty list (expected at least one value)`);
  return { kind: 'list', values: values.map((v) => (typeof v === 'number' ? v : String(v))) };
}

export const describeValue = (value: SweepValue) =>
  value.kind === 'list'
    ? value.values.join(',')
    : `${value.scale === 'log' ? 'log:' : ''}${value.min}..${value.max}`;
