/** Above or below these magnitudes, ticks read better as exponents (1.5e+6, 2.0e-4). */
const large = 1e6;
const small = 1e-3;

const format = (value: number, digits: number, exponent: boolean) =>
  exponent ? value.toExponential(digits) : value.toFixed(digits);

/**
 * Labels for a linear axis' ticks with just as many digits as it takes for neighbours to
 * differ and for each label to sit within 1% of a tick gap of its tick. On a nearly flat
 * curve (2.3024 … 2.3030) a fixed precision reads "2.303" on every tick.
 */
export function tickLabels(splits: number[]): string[] {
  const finite = splits.filter(Number.isFinite);
  if (finite.length === 0) return splits.map(String);
  let gap = Number.POSITIVE_INFINITY;
  for (let i = 1; i < finite.length; i++) {
    const d = Math.abs(finite[i]! - finite[i - 1]!);
    if (d > 0) gap = Math.min(gap, d);
  }
  const magnitude = Math.max(...finite.map(Math.abs));
  if (!Number.isFinite(gap)) gap = magnitude || 1;
  const exponent = magnitude >= large || (magnitude > 0 && magnitude < small);
  for (let digits = 0; digits <= 15; digits++) {
    const labels = splits.map((v) => format(v, digits, exponent));
    const distinct = new Set(labels).size === labels.length;
    if (distinct && labels.every((l, i) => Math.abs(Number(l) - splits[i]!) <= gap / 100)) {
      return labels;
    }
  }
  return splits.map(String);
}
