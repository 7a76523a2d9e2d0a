import pg from 'pg';

type Inlinable = string | number | null;

const isInlinable = (v: unknown): v is Inlinable =>
  v === null || typeof v === 'string' || typeof v === 'number';

// An element of a one-dimensional array literal: numbers as JavaScript writes them (what
// pg sends as text too; NaN and ±Infinity are float8's own spellings), strings quoted.
const element = (v: Inlinable) =>
  v === null
    ? 'NULL'
    : typeof v === 'number'
      ? String(v)
      : `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

function literal(value: unknown): string | undefined {
  if (isInlinable(value)) return value === null ? 'NULL' : pg.escapeLiteral(String(value));
  if (!Array.isArray(value)) return undefined;
  const parts = new Array<string>(value.length);
  for (let i = 0; i < value.length; i++) {
    const v: unknown = value[i];
    if (!isInlinable(v)) return undefined;
    parts[i] = element(v);
  }
  return pg.escapeLiteral(`{${parts.join(',')}}`);
}

/**
 * `text` with `$1`, `$2`… replaced by its parameters written as quoted literals, so that
 * it can share one simple-protocol message (one round trip) with BEGIN or COMMIT. Only
 * strings, numbers, null and flat arrays of them are written this way (each parameter is
 * typed by a cast or its context in `text`, as a bound one is); for anything else the
 * result is undefined and the caller binds the parameters as usual.
 */
export function inlineParams(text: string, params: readonly unknown[]): string | undefined {
  const literals = params.map(literal);
  if (literals.some((l) => l === undefined)) return undefined;
  return text.replace(/\$(\d+)/g, (token, n: string) => literals[Number(n) - 1] ?? token);
}
