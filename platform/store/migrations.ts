// SQL migrations, run in order on PGlite and PostgreSQL alike: one numbered file each in migrations/
// (`NNN-what.sql`, its first line `-- what it does`). Append; never edit a released one.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SqlExecutor } from './executor.js';

/** The .sql files sit beside this module's source; built into dist/, it reads them from the source tree. */
const folder = [new URL('./migrations/', import.meta.url), new URL('../../../platform/store/migrations/', import.meta.url)]
  .map((url) => fileURLToPath(url)).find((dir) => existsSync(dir));
if (!folder) throw new Error('migrations: the folder platform/store/migrations/ is missing');

export const migrations: readonly { version: number; name: string; sql: string }[] = readdirSync(folder)
  .filter((file) => file.endsWith('.sql'))
  .map((file) => {
    const match = /^(\d+)-/.exec(file);
    const sql = readFileSync(`${folder}/${file}`, 'utf8');
    const name = /^-- (.+)\n/.exec(sql)?.[1];
    if (!match || !name) throw new Error(`migrations: ${file} must be named NNN-what.sql and start with a "-- what it does" line`);
    return { version: Number(match[1]), name, sql };
  })
  .sort((a, b) => a.version - b.version);
for (const [i, m] of migrations.entries()) {
  if (m.version !== i + 1) throw new Error(`migrations: version ${i + 1} is missing or doubled (found ${m.version})`);
}

/**
 * Applies the migrations not applied yet (up to version `until`, for a test that builds an older database), in one
 * transaction. On PostgreSQL it holds a lock while it does: nodes of a cluster started together migrate once, the
 * others wait and find nothing left to do.
 */
export async function migrate(db: SqlExecutor, until = Infinity): Promise<number[]> {
  return db.transaction(async (tx) => {
    if (db.kind === 'postgres') await tx.query(`select pg_advisory_xact_lock(hashtext('firenet:migrations'))`);
    await tx.query('create table if not exists schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())');
    const done = new Set((await tx.query<{ version: number }>('select version from schema_migrations')).map((r) => r.version));
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version) || m.version > until) continue;
      for (const statement of splitStatements(m.sql)) await tx.query(statement);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}

/** A script's statements, split at the semicolons outside '...' strings and $tag$...$tag$ bodies; -- comments dropped. */
export function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    let end = i + 1;
    if (c === '-' && sql[i + 1] === '-') {
      const eol = sql.indexOf('\n', i);
      i = eol < 0 ? sql.length : eol;
      continue;
    }
    if (c === "'") {
      while (end < sql.length && !(sql[end] === "'" && sql[end + 1] !== "'")) end += sql[end] === "'" ? 2 : 1;
      end = Math.min(sql.length, end + 1);
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i, i + 64))?.[0];
      if (tag) {
        const close = sql.indexOf(tag, i + tag.length);
        end = close < 0 ? sql.length : close + tag.length;
      }
    } else if (c === ';') {
      statements.push(current);
      current = '';
      i = end;
      continue;
    }
    current += sql.slice(i, end);
    i = end;
  }
  statements.push(current);
  return statements.map((s) => s.trim()).filter(Boolean);
}
