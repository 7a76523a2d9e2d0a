const units = ['B', 'kB', 'MB', 'GB', 'TB'];

/** Decimal units, as download sizes are usually quoted (170,052,171 bytes → "170.1 MB"). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function formatCount(bytes: number): string {
  return bytes.toLocaleString('en-US');
}
