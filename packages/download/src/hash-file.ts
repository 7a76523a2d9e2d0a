import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export type ChecksumAlgorithm = 'md5' | 'sha256';

/** Hex digest of a file, read as a stream so a large file never sits in memory. */
export async function hashFile(path: string, algorithm: ChecksumAlgorithm): Promise<string> {
  const hash = await hashFileInto(path, createHash(algorithm));
  return hash.digest('hex');
}

/** Feeds a file's bytes into an existing hash (used to pick up a partial file on resume). */
export async function hashFileInto(path: string, hash: Hash): Promise<Hash> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
  }
  return hash;
}
