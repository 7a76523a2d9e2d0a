import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Where trainbook keeps downloaded files (weights, data sets) unless a caller says otherwise:
 * TRAINBOOK_CACHE_DIR, else $XDG_CACHE_HOME/trainbook, else ~/.cache/trainbook.
 */
export function defaultCacheDir(): string {
  const explicit = process.env.TRAINBOOK_CACHE_DIR;
  if (explicit) return resolve(explicit);
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg ? resolve(xdg) : join(homedir(), '.cache'), 'trainbook');
}
