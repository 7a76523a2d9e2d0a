import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

export class StoreLockedError extends Error {
  constructor(
    readonly lockPath: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The embedded database is in use by process ${holder.pid} on ${holder.host} (since ${holder.since}); lock file: ${lockPath}. ` +
        'Only one process may own it: talk to that tracker instead, stop it, or point DATABASE_URL at a Postgres server.',
    );
    this.name = 'StoreLockedError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes an exclusive lock file for the embedded store. PGlite has no lock of its own and a
 * second process on the same directory would silently diverge. A lock left by a dead
 * process on this host is taken over; one held by a live process is an error naming it.
 */
export function acquireLock(lockPath: string): () => void {
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, `${JSON.stringify(me)}\n`, { flag: 'wx' });
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        rmSync(lockPath, { force: true });
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: LockHolder;
      try {
        holder = JSON.parse(readFileSync(lockPath, 'utf8')) as LockHolder;
      } catch {
        // Unreadable: a crash mid-write. Nobody can be holding it meaningfully.
        rmSync(lockPath, { force: true });
        continue;
      }
      if (holder.host === me.host && !isAlive(holder.pid)) {
        rmSync(lockPath, { force: true });
        continue;
      }
      throw new StoreLockedError(lockPath, holder);
    }
  }
  throw new Error(`Could not take the lock file ${lockPath}`);
}
