import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const suffix = '.part';

/**
 * A temp file beside the destination, so the final rename stays on one file system and is
 * atomic. The pid in the name lets a later run tell a crashed download's leftover from a
 * download that another process is still writing.
 */
export function tempPathFor(dest: string): string {
  return `${dest}.${process.pid}-${randomBytes(4).toString('hex')}${suffix}`;
}

/** Removes temp files for `dest` whose writing process no longer exists. Returns their paths. */
export async function removeStaleTempFiles(dest: string): Promise<string[]> {
  const folder = dirname(dest);
  const prefix = `${basename(dest)}.`;
  const pattern = /^(\d+)-[0-9a-f]{8}\.part$/;
  const removed: string[] = [];
  for (const entry of await readdir(folder)) {
    if (!entry.startsWith(prefix)) continue;
    const match = pattern.exec(entry.slice(prefix.length));
    if (!match || isAlive(Number(match[1]))) continue;
    const path = join(folder, entry);
    await rm(path, { force: true });
    removed.push(path);
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
