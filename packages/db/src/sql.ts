import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/**
 * The raw-SQL side of a store, for the few paths where Prisma's per-row work is too slow
 * (bulk metric ingestion, downsampled series) and for migrations. Postgres and PGlite
 * speak the same SQL, so each query is written once.
 */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements (no parameters). */
  exec(script: string): Promise<void>;
  /**
   * `COPY table (columns) FROM` rows in PostgreSQL's binary COPY format (see
   * binary-copy.ts): the fastest way into a table, with no per-row parsing. `table` and
   * `columns` are trusted identifiers, never user input.
   */
  copyBinary(table: string, columns: readonly string[], data: Uint8Array): Promise<void>;
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}

const target = (table: string, columns: readonly string[]) => `${table} (${columns.join(', ')})`;

function pgClientSql(client: pg.PoolClient): Sql {
  const tx: Sql = {
    async query<T>(text: string, params?: unknown[]) {
      return (await client.query(text, params)).rows as T[];
    },
    async exec(script) {
      await client.query(script);
    },
    async copyBinary(table, columns, data) {
      const stream = client.query(
        copyFrom(`COPY ${target(table, columns)} FROM STDIN WITH (FORMAT binary)`),
      );
      await pipeline(Readable.from([data]), stream);
    },
    transaction: (inner) => inner(tx),
  };
  return tx;
}

export function pgSql(pool: pg.Pool): Sql {
  const withClient = async <T>(fn: (client: pg.PoolClient) => Promise<T>) => {
    const client = await pool.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  };
  return {
    async query<T>(text: string, params?: unknown[]) {
      return (await pool.query(text, params)).rows as T[];
    },
    async exec(script) {
      await pool.query(script);
    },
    copyBinary: (table, columns, data) =>
      withClient((client) => pgClientSql(client).copyBinary(table, columns, data)),
    transaction: (fn) =>
      withClient(async (client) => {
        await client.query('BEGIN');
        try {
          const result = await fn(pgClientSql(client));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
      }),
  };
}

export function pgliteSql(db: PGlite | PGliteTransaction): Sql {
  const sql: Sql = {
    async query<T>(text: string, params?: unknown[]) {
      return (await db.query<T>(text, params)).rows;
    },
    async exec(script) {
      await db.exec(script);
    },
    async copyBinary(table, columns, data) {
      // PGlite has no COPY protocol; it reads the rows from a blob mounted at /dev/blob.
      await db.query(`COPY ${target(table, columns)} FROM '/dev/blob' WITH (FORMAT binary)`, [], {
        blob: new Blob([data as Uint8Array<ArrayBuffer>]), // never a SharedArrayBuffer here
      });
    },
    async transaction(fn) {
      if (!('transaction' in db)) return fn(sql);
      return (db as PGlite).transaction((tx) => fn(pgliteSql(tx)));
    },
  };
  return sql;
}
