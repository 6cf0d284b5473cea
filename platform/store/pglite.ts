// Embedded adapter: PGlite (Postgres in WASM) with its files under DATA_DIR.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Queryable, SqlExecutor } from './executor.js';

export async function openPglite(dataDir: string | undefined): Promise<SqlExecutor> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // Creating a database (initdb) grows PGlite's WebAssembly memory to ~630 MB, and that memory never shrinks; a
  // database opened afresh needs ~200 MB. So a new one is created, closed and opened again.
  if (dataDir && !existsSync(join(dataDir, 'PG_VERSION'))) await (await PGlite.create(dataDir)).close();
  const db = await PGlite.create(dataDir);
  const wrap = (q: Pick<PGlite, 'query'>): Queryable => ({
    async query<T>(text: string, params?: unknown[]) {
      return (await q.query<T>(text, params)).rows;
    },
  });
  return {
    kind: 'pglite',
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    exec: async (script) => { await db.exec(script); },
    close: () => db.close(),
  };
}
