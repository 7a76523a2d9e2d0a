import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { folderName, trainFiles } from './cifar10-format.js';
import { DataError } from './data-error.js';

export type Cifar10Location =
  | { kind: 'url'; url: string }
  | { kind: 'archive'; path: string }
  | { kind: 'folder'; path: string };

/**
 * Works out what `data` points at: an http(s) URL, a .tar.gz archive, or a folder — the
 * cifar-10-batches-bin folder itself or one that contains it.
 */
export async function locateCifar10(data: string): Promise<Cifar10Location> {
  if (/^https?:\/\//i.test(data)) return { kind: 'url', url: data };
  const path = resolve(data);
  const info = await stat(path).catch(() => undefined);
  if (!info) {
    throw new DataError(
      path,
      `No CIFAR-10 data at ${path}: expected a .tar.gz archive, a ${folderName} folder or an http(s) URL.`,
    );
  }
  if (info.isFile()) return { kind: 'archive', path };
  const entries = await readdir(path);
  if (entries.includes(trainFiles[0]!)) return { kind: 'folder', path };
  if (entries.includes(folderName)) return { kind: 'folder', path: join(path, folderName) };
  throw new DataError(
    path,
    `${path} is a folder without CIFAR-10 batch files: expected ${trainFiles[0]} in it or in a ${folderName} folder inside it.`,
  );
}
