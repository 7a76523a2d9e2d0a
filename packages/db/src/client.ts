import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import { defaultHome } from '@trainbook/host';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './generated/prisma/client.js';
import { acquireLock } from './lock.js';
import { applyMigrations, defaultMigrationsDir, readMigrations } from './migrate.js';
import { PointWriter } from './point-writer.js';
import { pgliteSql, pgSql, type Sql } from './sql.js';

export interface Store {
  kind: 'postgres' | 'pglite';
  /** Where the data lives: the Postgres URL without its password, or the data folder. */
  location: string;
  prisma: PrismaClient;
  sql: Sql;
  /** Where metric points are written: batches from many writers at once share transactions. */
  points: PointWriter;
  /** Migrations this open applied. */
  migrated: string[];
  /**
   * The database itself, for a library that brings its own SQL (the pg-boss sweep queue):
   * Postgres by URL (it opens its own pool), or this process's one embedded PGlite.
   */
  connection: { kind: 'postgres'; url: string } | { kind: 'pglite'; pglite: PGlite };
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** `postgresql://…`; when absent the embedded PGlite store under `home` is used. */
  databaseUrl?: string | undefined;
  /** Folder of the embedded store (default: {@link defaultHome}). */
  home?: string | undefined;
  /** Connections in the Postgres pool. */
  poolSize?: number;
  /**
   * Transactions writing metric points at once on Postgres (default 2; the embedded store
   * writes one at a time). Batches arriving meanwhile are written together.
   */
  pointTransactions?: number;
  migrationsDir?: string;
  /** Told when the server drops an idle Postgres connection (the pool reconnects). */
  onIdleError?: (error: Error) => void;
  /** Told when a connection in use breaks (its request fails as "store unavailable"). */
  onConnectionError?: (error: Error) => void;
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable database URL)';
  }
}

/**
 * Opens the store: Postgres when a URL is given, else the embedded PGlite database, which
 * this process then owns (lock file) until `close()`. Pending migrations are applied first.
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const migrations = await readMigrations(options.migrationsDir ?? defaultMigrationsDir);
  const { onIdleError, onConnectionError } = options;
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
    });
    // A connection the server drops (restart, crash, admin command) must not crash the
    // process. Idle ones are reported by the pool, which replaces them on the next query;
    // one that a request holds fails that request's query (answered as "store unavailable")
    // and also emits 'error' on the client, which must be listened to.
    pool.on('error', (error) => onIdleError?.(error));
    pool.on('connect', (client) => {
      client.on('error', (error) => onConnectionError?.(error));
    });
    try {
      const sql = pgSql(pool);
      const migrated = await applyMigrations(sql, migrations);
      const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
      return {
        kind: 'postgres',
        location: redactUrl(options.databaseUrl),
        prisma,
        sql,
        points: new PointWriter(sql, { transactions: options.pointTransactions ?? 2 }),
        migrated,
        connection: { kind: 'postgres', url: options.databaseUrl },
        async close() {
          await prisma.$disconnect();
          await pool.end();
        },
      };
    } catch (error) {
      await pool.end().catch(() => {});
      throw new Error(
        `Could not open the Postgres database at ${redactUrl(options.databaseUrl)}: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  const home = resolve(options.home ?? '.');
  const dataDir = join(home, 'db');
  mkdirSync(home, { recursive: true });
  const release = acquireLock(join(home, 'db.lock'));
  let db: PGlite | undefined;
  try {
    db = await PGlite.create({ dataDir });
    const sql = pgliteSql(db);
    const migrated = await applyMigrations(sql, migrations);
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
    const opened = db;
    return {
      kind: 'pglite',
      location: dataDir,
      prisma,
      sql,
      points: new PointWriter(sql, { transactions: 1 }),
      migrated,
      connection: { kind: 'pglite', pglite: opened },
      async close() {
        await prisma.$disconnect();
        await opened.close();
        release();
      },
    };
  } catch (error) {
    await db?.close().catch(() => {});
    release();
    throw error;
  }
}
