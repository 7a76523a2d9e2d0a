import { homedir, platform } from 'node:os';
import { join } from 'node:path';

/**
 * The per-user data folder (TRAINBOOK_HOME unless set): the embedded store, the spool, saved
 * models, the background tracker's log. $XDG_DATA_HOME/trainbook (~/.local/share/trainbook)
 * on Linux, ~/Library/Application Support/trainbook on macOS, %LOCALAPPDATA%\trainbook on
 * Windows.
 */
export function defaultHome(env: Record<string, string | undefined>): string {
  if (platform() === 'darwin')
    return join(homedir(), 'Library', 'Application Support', 'trainbook');
  if (platform() === 'win32')
    return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'trainbook');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'trainbook');
}
