import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { applyMigrations, readMigrations } from './migrate.js';
import { pgSql } from './sql.js';
import { createTestDatabase, postgresUnavailable } from './testing.js';

describe.skipIf(postgresUnavailable)('migration tag_names_any_case', () => {
  it('merges tags that differ only in case into the oldest, runs and notes included', async () => {
    const database = await createTestDatabase();
    const pool = new pg.Pool({ connectionString: database.url, max: 2 });
    try {
      const sql = pgSql(pool);
      const migrations = await readMigrations();
      const at = migrations.findIndex((m) => m.name.endsWith('_tag_names_any_case'));
      expect(at).toBeGreaterThan(0);
      await applyMigrations(sql, migrations.slice(0, at));
      // What a store held before: Baseline, baseline and BASELINE side by side.
      await sql.exec(`
        INSERT INTO runs (id, name) VALUES ('r1', 'r1'), ('r2', 'r2'), ('r3', 'r3');
        INSERT INTO tags (id, name, notes, created_at) VALUES
          (1, 'Baseline', '', '2026-01-01'), (2, 'baseline', 'first of a sweep', '2026-01-02'),
          (3, 'BASELINE', '', '2026-01-03'), (4, 'other', '', '2026-01-01');
        INSERT INTO run_tags (run_id, tag_id) VALUES ('r1', 1), ('r2', 2), ('r1', 3), ('r3', 4);`);
      await applyMigrations(sql, migrations);
      expect(await sql.query('SELECT id, name, name_key, notes FROM tags ORDER BY id')).toEqual([
        { id: 1, name: 'Baseline', name_key: 'baseline', notes: 'first of a sweep' },
        { id: 4, name: 'other', name_key: 'other', notes: '' },
      ]);
      expect(
        await sql.query('SELECT run_id, tag_id FROM run_tags ORDER BY run_id, tag_id'),
      ).toEqual([
        { run_id: 'r1', tag_id: 1 },
        { run_id: 'r2', tag_id: 1 },
        { run_id: 'r3', tag_id: 4 },
      ]);
      await expect(
        sql.query(`INSERT INTO tags (id, name, name_key) VALUES (99, 'BaseLine', 'baseline')`),
      ).rejects.toMatchObject({ code: '23505', constraint: 'tags_name_key_key' });
    } finally {
      await pool.end();
      await database.drop();
    }
  });
});
