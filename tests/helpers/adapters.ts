// The two SQL adapters a store test runs on: embedded PGlite, and a fresh database of its own on the PostgreSQL
// server the test run started (tests/setup/global.ts).
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import type { SqlExecutor } from '../../platform/store/executor.js';
import { openPglite } from '../../platform/store/pglite.js';
import { openPostgres } from '../../platform/store/postgres.js';
import { createDatabase } from './postgres.js';

/** `[name, open]` for PGlite and PostgreSQL, for `describe.each`; `prefix` names the PostgreSQL databases made. */
export function bothAdapters(prefix: string): [string, () => Promise<SqlExecutor>][] {
  return [
    ['pglite', () => openPglite(undefined)],
    ['postgres', async () => openPostgres(await createDatabase(inject('postgresUrl'), `${prefix}_${randomUUID().replaceAll('-', '')}`))],
  ];
}
