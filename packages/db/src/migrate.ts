import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sql } from './sql.js';

export const defaultMigrationsDir = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../prisma/migrations',
);

export interface Migration {
  name: string;
  sql: string;
  /** sha256 of the file, as Prisma records it. */
  checksum: string;
}

export async function readMigrations(dir = defaultMigrationsDir): Promise<Migration[]> {
  if (!existsSync(dir)) throw new Error(`No migrations folder at ${dir}`);
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

// Prisma's own bookkeeping table, created exactly as its schema engine creates it, so that
// `prisma migrate status` agrees with us wherever the native engine exists.
const createMigrationsTable = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// Any constant works; it keeps two trackers starting against one Postgres from racing.
const migrationLockKey = 72_616_923;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/**
 * Applies the migrations not yet recorded in `_prisma_migrations`, in name order, all in
 * one transaction (Postgres DDL is transactional: a failure leaves the database as it was). Refuses to go on when an applied migration's file changed or
 * an earlier attempt failed half-way, as `prisma migrate deploy` does.
 * @returns the names of the migrations it applied.
 */
export async function applyMigrations(sql: Sql, migrations: Migration[]): Promise<string[]> {
  return sql.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [migrationLockKey]);
    await tx.exec(createMigrationsTable);
    const rows = await tx.query<AppliedRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
    );
    const applied = new Map(
      rows.filter((row) => row.rolled_back_at === null).map((row) => [row.migration_name, row]),
    );
    const done: string[] = [];
    for (const migration of migrations) {
      const row = applied.get(migration.name);
      if (row?.finished_at === null) {
        throw new Error(
          `Migration ${migration.name} failed part-way on an earlier attempt. Repair the database, then mark it rolled back or applied (prisma migrate resolve).`,
        );
      }
      if (row) {
        if (row.checksum !== migration.checksum) {
          throw new Error(
            `Migration ${migration.name} was changed after it was applied (checksum ${row.checksum} in the database, ${migration.checksum} on disk). Restore the file and add a new migration instead.`,
          );
        }
        continue;
      }
      await tx.exec(migration.sql);
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
      done.push(migration.name);
    }
    return done;
  });
}
