import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, redactUrl, type Store } from './client.js';

/** Server that tests create their throw-away databases on (trust auth, as in CI). */
export const testServerUrl =
  // biome-ignore lint/style/noProcessEnv: test harness configuration
  process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

/** A new, empty Postgres database for one test file; `drop()` removes it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `trainbook_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testServerUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(testServerUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: testServerUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export type StoreKind = Store['kind'];

async function probePostgres(): Promise<string | null> {
  const client = new pg.Client({ connectionString: testServerUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return `no Postgres at ${redactUrl(testServerUrl)} (${(error as Error).message}); set TEST_DATABASE_URL or start one`;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Why the Postgres half of the suites cannot run here, or null when it can. Where
 * TRAINBOOK_REQUIRE_POSTGRES=1 (CI), a missing server is an error, never a skip.
 */
export const postgresUnavailable = await probePostgres();
// biome-ignore lint/style/noProcessEnv: test harness configuration
if (postgresUnavailable && process.env.TRAINBOOK_REQUIRE_POSTGRES === '1') {
  throw new Error(`TRAINBOOK_REQUIRE_POSTGRES=1 but ${postgresUnavailable}`);
}
if (postgresUnavailable) console.warn(`Skipping the Postgres suites: ${postgresUnavailable}`);

/** The stores the suites run on: both, or PGlite alone (with the reason printed) without a server. */
export const storeKinds: StoreKind[] = postgresUnavailable ? ['pglite'] : ['postgres', 'pglite'];

/** A migrated store of the given kind on fresh storage; `dispose()` closes and deletes it. */
export async function openTestStore(
  kind: StoreKind,
): Promise<{ store: Store; url?: string; home?: string; dispose(): Promise<void> }> {
  if (kind === 'postgres') {
    const database = await createTestDatabase();
    const store = await openStore({ databaseUrl: database.url });
    return {
      store,
      url: database.url,
      async dispose() {
        await store.close();
        await database.drop();
      },
    };
  }
  const home = await mkdtemp(join(tmpdir(), 'trainbook-test-'));
  const store = await openStore({ home });
  return {
    store,
    home,
    async dispose() {
      await store.close();
      await rm(home, { recursive: true, force: true });
    },
  };
}
