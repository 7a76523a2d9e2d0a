import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from './client.js';
import { StoreLockedError } from './lock.js';
import { applyMigrations, readMigrations } from './migrate.js';
import { createTestDatabase, openTestStore, postgresUnavailable } from './testing.js';

describe('embedded store', () => {
  let home: string;
  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'trainbook-store-'));
  });
  afterAll(() => rm(home, { recursive: true, force: true }));

  it('is created on first use, persists across reopen, and applies migrations once', async () => {
    const first = await openStore({ home: join(home, 'nested', 'folder') });
    expect(first.kind).toBe('pglite');
    expect(first.migrated.length).toBeGreaterThan(0);
    await first.prisma.run.create({ data: { id: 'keep-me', name: 'kept' } });
    await first.close();
    const again = await openStore({ home: join(home, 'nested', 'folder') });
    expect(again.migrated).toEqual([]);
    expect(await again.prisma.run.findUnique({ where: { id: 'keep-me' } })).toMatchObject({
      name: 'kept',
    });
    await again.close();
  });

  it('has one owner: a second open names the holder pid', async () => {
    const owner = await openStore({ home });
    const second = openStore({ home });
    await expect(second).rejects.toBeInstanceOf(StoreLockedError);
    await expect(second).rejects.toThrow(`process ${process.pid}`);
    await owner.close();
    // Released on close: the next open succeeds.
    const next = await openStore({ home });
    await next.close();
  });

  it('takes over a lock left by a process that died', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((done) => child.on('exit', () => done(child.pid!)));
    const { hostname } = await import('node:os');
    await writeFile(
      join(home, 'db.lock'),
      JSON.stringify({ pid: deadPid, host: hostname(), since: 'then' }),
    );
    const store = await openStore({ home });
    expect(JSON.parse(await readFile(join(home, 'db.lock'), 'utf8')).pid).toBe(process.pid);
    await store.close();
  });
});

describe.skipIf(postgresUnavailable)('migrations on Postgres', () => {
  it('are recorded like Prisma records them and refuse an edited migration', async () => {
    const { store, dispose } = await openTestStore('postgres');
    try {
      const rows = await store.sql.query<{
        migration_name: string;
        checksum: string;
        finished_at: Date | null;
        applied_steps_count: number;
      }>(
        'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations"',
      );
      const migrations = await readMigrations();
      expect(rows.map((r) => r.migration_name).sort()).toEqual(migrations.map((m) => m.name));
      expect(rows.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
      expect(rows.map((r) => r.checksum).sort()).toEqual(migrations.map((m) => m.checksum).sort());
      expect(await applyMigrations(store.sql, migrations)).toEqual([]);
      const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
      await expect(applyMigrations(store.sql, edited)).rejects.toThrow(
        /was changed after it was applied/,
      );
    } finally {
      await dispose();
    }
  });

  it('a failing migration leaves nothing behind', async () => {
    const db = await createTestDatabase();
    try {
      const migrations = [
        ...(await readMigrations()),
        {
          name: '99999999999999_broken',
          sql: 'CREATE TABLE broken (x int); SELECT 1/0;',
          checksum: 'x',
        },
      ];
      await expect(
        openStore({ databaseUrl: db.url, migrationsDir: undefined }).then(async (s) => {
          try {
            await applyMigrations(s.sql, migrations);
          } finally {
            await s.close();
          }
        }),
      ).rejects.toThrow(/division by zero/);
      const store = await openStore({ databaseUrl: db.url });
      const tables = await store.sql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_tables WHERE tablename = 'broken'",
      );
      expect(tables[0]?.n).toBe(0);
      await store.close();
    } finally {
      await db.drop();
    }
  });

  it('a bad URL gives an error naming the database without its password', async () => {
    await expect(
      openStore({ databaseUrl: 'postgresql://me:secret@127.0.0.1:1/nowhere' }),
    ).rejects.toThrow(
      /Could not open the Postgres database at postgresql:\/\/me:\*\*\*@127\.0\.0\.1:1\/nowhere/,
    );
  });
});
