// Nodes of a cluster start together on one PostgreSQL database: each migration is applied once, by one of them.
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import type { SqlExecutor } from '../../platform/store/executor.js';
import { migrate, migrations } from '../../platform/store/migrations.js';
import { openPostgres } from '../../platform/store/postgres.js';
import { createDatabase } from '../helpers/postgres.js';

describe('migrations run by three nodes at once', () => {
  const opened: SqlExecutor[] = [];
  afterAll(async () => { await Promise.all(opened.map((db) => db.close())); });

  it('apply every migration once: one node applies them, the others wait and find nothing to do', async () => {
    const url = await createDatabase(inject('postgresUrl'), `migrate_together_${randomUUID().replaceAll('-', '')}`);
    for (let i = 0; i < 3; i++) opened.push(await openPostgres(url));
    const applied = await Promise.all(opened.map((db) => migrate(db)));
    const all = migrations.map((m) => m.version);
    expect(applied.flat().sort((a, b) => a - b)).toEqual(all);
    expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
    const rows = await opened[0]!.query<{ version: number }>('select version from schema_migrations order by version');
    expect(rows.map((r) => r.version)).toEqual(all);
  });
});
