import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the shared data folder is: the override (TRAINBOOK_SHARED_DATA), else ../shared/data beside the repo. */
export function sharedDataDir(override: string | undefined): string {
  return (
    override ??
    join(fileURLToPath(new URL('../../../../../', import.meta.url)), '..', 'shared', 'data')
  );
}
