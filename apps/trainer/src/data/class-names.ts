import { classCount } from './cifar10-format.js';
import { DataError } from './data-error.js';

/** batches.meta.txt: one class name a line, in label order; blank lines (the file ends with some) are ignored. */
export function parseClassNames(text: string, file: string): string[] {
  const names = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  if (names.length !== classCount) {
    throw new DataError(
      file,
      `${file} lists ${names.length} class names; expected ${classCount}, one a line (airplane ... truck).`,
    );
  }
  return names;
}
