import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Parser, type ReadEntry } from 'tar';
import { DataError } from './data-error.js';

/** What to do with one file in the archive: return handlers to receive its bytes, or nothing to skip it. */
export type EntryHandler = (entry: {
  path: string;
  size: number;
}) => { data(chunk: Uint8Array): void; end(): void } | undefined;

/**
 * Streams a .tar.gz (or plain .tar) through tar's parser, handing file entries to `onEntry`.
 * Resolves with the sha256 of the archive file. Any error — from zlib, tar or a handler —
 * rejects with a DataError that names the archive.
 */
export function parseArchive(archive: string, onEntry: EntryHandler): Promise<{ sha256: string }> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    const source = createReadStream(archive, { highWaterMark: 1 << 20 });
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      source.destroy();
      reject(
        error instanceof DataError
          ? error
          : new DataError(
              archive,
              `${archive} is not a readable CIFAR-10 .tar.gz archive: ${(error as Error).message}`,
              { cause: error },
            ),
      );
    };
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        const handler =
          entry.type === 'File' || entry.type === 'OldFile'
            ? guard(() => onEntry({ path: entry.path, size: entry.size }), fail)
            : undefined;
        if (!handler) {
          entry.resume();
          return;
        }
        entry.on('data', (chunk: Buffer) => guard(() => handler.data(chunk), fail));
        entry.on('end', () => guard(() => handler.end(), fail));
      },
    });
    parser.on('error', fail);
    source.on('error', fail);
    source.on('data', (chunk) => hash.update(chunk));
    parser.on('end', () => {
      if (settled) return;
      settled = true;
      resolve({ sha256: hash.digest('hex') });
    });
    source.pipe(parser);
  });
}

/** Errors inside stream callbacks would otherwise escape as uncaught exceptions. */
function guard<T>(step: () => T, fail: (error: unknown) => void): T | undefined {
  try {
    return step();
  } catch (error) {
    fail(error);
    return undefined;
  }
}
