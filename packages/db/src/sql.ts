import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { inlineParams } from './inline-params.js';

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
  /**
   * Runs `fn` in a transaction. On Postgres, BEGIN travels with the transaction's first
   * statement and COMMIT with a statement given to `queryThenCommit`, each pair in one
   * round trip.
   */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * A transaction's last statement; the transaction commits when it succeeds (outside a
   * transaction it is a plain query). Nothing may be run on `tx` after it.
   */
  queryThenCommit<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
}

const target = (table: string, columns: readonly string[]) => `${table} (${columns.join(', ')})`;

type Transaction = { begun: boolean; committed: boolean };

// A simple-protocol message of several statements answers with one result each.
const rowsAt = <T>(result: pg.QueryResult | pg.QueryResult[], index: number) =>
  (Array.isArray(result) ? result[index]! : result).rows as T[];

function pgClientSql(client: pg.PoolClient, tx: Transaction): Sql {
  // Sends `before`, `text` and `after` in one round trip where the parameters can be
  // written into the text; else as separate statements.
  const run = async <T>(text: string, params: unknown[] | undefined, before = '', after = '') => {
    if (!before && !after) return (await client.query(text, params)).rows as T[];
    const inlined = params?.length ? inlineParams(text, params) : text;
    if (inlined !== undefined)
      return rowsAt<T>(await client.query(`${before}${inlined}${after}`), before ? 1 : 0);
    if (before) await client.query(before);
    const rows = (await client.query(text, params)).rows as T[];
    if (after) await client.query(after);
    return rows;
  };
  const begin = () => {
    if (tx.begun) return '';
    tx.begun = true;
    return 'BEGIN; ';
  };
  const sql: Sql = {
    query: (text, params) => run(text, params, begin()),
    async exec(script) {
      await client.query(`${begin()}${script}`);
    },
    async copyBinary(table, columns, data) {
      const opening = begin();
      if (opening) await client.query(opening);
      const stream = client.query(
        copyFrom(`COPY ${target(table, columns)} FROM STDIN WITH (FORMAT binary)`),
      );
      await pipeline(Readable.from([data]), stream);
    },
    transaction: (inner) => inner(sql),
    async queryThenCommit<T>(text: string, params?: unknown[]) {
      const rows = await run<T>(text, params, begin(), '; COMMIT');
      tx.committed = true;
      return rows;
    },
  };
  return sql;
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
    async queryThenCommit<T>(text: string, params?: unknown[]) {
      return (await pool.query(text, params)).rows as T[];
    },
    copyBinary: (table, columns, data) =>
      withClient((client) =>
        pgClientSql(client, { begun: true, committed: false }).copyBinary(table, columns, data),
      ),
    transaction: (fn) =>
      withClient(async (client) => {
        const tx: Transaction = { begun: false, committed: false };
        try {
          const result = await fn(pgClientSql(client, tx));
          if (tx.begun && !tx.committed) await client.query('COMMIT');
          return result;
        } catch (error) {
          if (tx.begun) await client.query('ROLLBACK').catch(() => {});
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
    queryThenCommit: (text, params) => sql.query(text, params),
    async transaction(fn) {
      if (!('transaction' in db)) return fn(sql);
      return (db as PGlite).transaction((tx) => fn(pgliteSql(tx)));
    },
  };
  return sql;
}
