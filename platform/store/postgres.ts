// Server adapter: PostgreSQL through node-postgres, used when DATABASE_URL is set.
import pg from 'pg';
import type { Queryable, SqlExecutor } from './executor.js';

// Same JS types as the PGlite adapter: bigint and numeric as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));

/** SQLSTATE classes 08 (connection exception) and 57 (operator intervention: shutdown, admin kill), or no code at all. */
function isConnectionError(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code !== 'string' || code.startsWith('08') || code.startsWith('57');
}

/**
 * `onIdleError` hears about pooled connections that die while idle (server restart, admin kill):
 * the pool drops them and connects afresh on next use; unheard, their 'error' would crash the process.
 */
export async function openPostgres(url: string, onIdleError: (err: Error) => void = () => undefined): Promise<SqlExecutor> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', onIdleError);
  await pool.query('select 1');
  const wrap = (q: pg.Pool | pg.PoolClient): Queryable => ({
    async query<T>(text: string, params?: unknown[]) {
      return (await q.query(text, params)).rows as T[];
    },
  });
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(fn) {
      const client = await pool.connect();
      // A held client is not the pool's to watch: without a listener of ours, the server going away while it is
      // held (a restart, an admin's kill) is an unhandled 'error' that stops the process. The query in flight
      // fails anyway; the broken client is discarded on release.
      let broken: Error | null = null;
      const onError = (err: Error) => { broken = err; onIdleError(err); };
      client.on('error', onError);
      try {
        await client.query('begin');
        const result = await fn(wrap(client));
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        broken ??= err instanceof Error && isConnectionError(err) ? err : null;
        throw err;
      } finally {
        client.off('error', onError);
        client.release(broken ?? undefined);
      }
    },
    async exclusively(name, fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      const onError = (err: Error) => { broken = err; onIdleError(err); };
      client.on('error', onError);
      try {
        await client.query('select pg_advisory_lock(hashtext($1))', [name]);
        try {
          return await fn();
        } finally {
          await client.query('select pg_advisory_unlock(hashtext($1))', [name]).catch((err: Error) => { broken = err; });
        }
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    },
    exec: async (script) => { await pool.query(script); },
    close: () => pool.end(),
  };
}
