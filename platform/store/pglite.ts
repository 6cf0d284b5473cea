// Embedded adapter: PGlite (Postgres in WASM) with its files under DATA_DIR.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { binarySerializers } from './binary-params.js';
import type { Queryable, SqlExecutor } from './executor.js';

/**
 * One process, one connection: Postgres' defaults size memory for a server shared by many (128 MB of shared buffers,
 * 64 MB per maintenance job), which in WebAssembly is memory held for ever. The operating system caches the files.
 * A new 16 MB WAL segment is created without writing it full of zeros first: PGlite writes on this thread, and the
 * zeros held every statement for ~30 ms each time the log crossed into a new segment (every few seconds under load).
 */
const SETTINGS = ['shared_buffers=16MB', 'maintenance_work_mem=16MB', 'work_mem=4MB', 'temp_buffers=2MB', 'wal_init_zero=off'];

export async function openPglite(dataDir: string | undefined): Promise<SqlExecutor> {
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    if (!existsSync(join(dataDir, 'PG_VERSION'))) await createInChildProcess(dataDir);
  }
  const db = await PGlite.create(dataDir, { startParams: [...PGlite.defaultStartParams, ...SETTINGS.flatMap((s) => ['-c', s])] });
  const options = { serializers: binarySerializers(db.serializers) };
  const wrap = (q: Pick<PGlite, 'query'>): Queryable => ({
    async query<T>(text: string, params?: unknown[]) {
      return (await q.query<T>(text, params, params?.length ? options : undefined)).rows;
    },
  });
  return {
    kind: 'pglite',
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    exclusively: (_name, fn) => fn(),
    exec: async (script) => { await db.exec(script); },
    close: () => db.close(),
  };
}

/**
 * Creating a database (initdb) grows PGlite's WebAssembly memory to ~630 MB, and such memory is never given back;
 * done in a process of its own, it is given back when that process ends.
 */
async function createInChildProcess(dataDir: string): Promise<void> {
  const pglite = pathToFileURL(createRequire(import.meta.url).resolve('@electric-sql/pglite')).href;
  const script = `const { PGlite } = await import(${JSON.stringify(pglite)}); await (await PGlite.create(process.argv[1])).close();`;
  await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script, dataDir], { timeout: 120_000 });
}
