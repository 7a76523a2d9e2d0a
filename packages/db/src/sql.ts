import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import type pg from 'pg';

/**
 * The raw-SQL side of a store, for the few paths where Prisma's per-row work is too slow
 * (bulk metric ingestion, downsampled series) and for migrations. Postgres and PGlite
 * speak the same SQL, so each query is written once.
 */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements (no parameters). */
  exec(script: string): Promise<void>;
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
}

export function pgSql(pool: pg.Pool): Sql {
  return {
    async query<T>(text: string, params?: unknown[]) {
      return (await pool.query(text, params)).rows as T[];
    },
    async exec(script) {
      await pool.query(script);
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const tx: Sql = {
          async query<T>(text: string, params?: unknown[]) {
            return (await client.query(text, params)).rows as T[];
          },
          async exec(script) {
            await client.query(script);
          },
          transaction: (inner) => inner(tx),
        };
        const result = await fn(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
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
    async transaction(fn) {
      if (!('transaction' in db)) return fn(sql);
      return (db as PGlite).transaction((tx) => fn(pgliteSql(tx)));
    },
  };
  return sql;
}
