// Bulk parameters in binary form (platform/store/binary-params.ts): PGlite gets arrays and jsonb as bytes, PostgreSQL
// as text; both must read back the same values, and what the encoders do not take must fail or pass as it did.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { binaryArray } from '../../platform/store/binary-params.js';
import type { SqlExecutor } from '../../platform/store/executor.js';
import { bothAdapters } from '../helpers/adapters.js';

const TEXT = ['cs-0001', '', null, '三号楼 2 层 配电间', 'emoji 🔥 and "quotes", \\back\\slash, {braces}', 'NULL', ' spaced '];

describe('binary arrays (pure)', () => {
  it('encodes what a column of its type takes, and nothing else', () => {
    expect(binaryArray(1009, TEXT)).toBeInstanceOf(Buffer);
    expect(binaryArray(1016, [1, -2, Date.UTC(2026, 11, 2), null])).toBeInstanceOf(Buffer);
    expect(binaryArray(1007, [1, 2 ** 31])).toBeNull(); // out of int4: the text way, where Postgres refuses it
    expect(binaryArray(1016, [1.5])).toBeNull();
    expect(binaryArray(1009, [42])).toBeNull(); // a number for text: the text way, as before
    expect(binaryArray(1000, ['t'])).toBeNull();
    expect(binaryArray(1009 + 1, ['a'])).toBeNull(); // a type it does not know
    // the header: one dimension, a NULL among them, text's OID, 7 elements from 1
    expect([...binaryArray(1009, TEXT)!.subarray(0, 20)]).toEqual([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 25, 0, 0, 0, 7, 0, 0, 0, 1]);
  });
});

describe.each(bothAdapters('binary_params'))('bulk parameters on %s', (_kind, open) => {
  let db: SqlExecutor;
  beforeAll(async () => { db = await open(); });
  afterAll(() => db?.close());

  const one = async <T>(sql: string, params: unknown[]) => (await db.query<{ v: T }>(sql, params))[0]!.v;

  it('reads back text, integer, double and boolean arrays as sent, NULLs and all', async () => {
    expect(await one('select $1::text[] as v', [TEXT])).toEqual(TEXT);
    expect(await one('select $1::text[] as v', [[]])).toEqual([]);
    const ints = [0, 1, -1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, null];
    expect((await one<(string | number | null)[]>('select $1::int8[] as v', [ints])).map((v) => (v === null ? null : Number(v)))).toEqual(ints);
    expect(await one('select $1::int[] as v', [[2 ** 31 - 1, -(2 ** 31), null]])).toEqual([2 ** 31 - 1, -(2 ** 31), null]);
    expect(await one('select $1::float8[] as v', [[0.1, -2.5e300, 5e-324, Infinity, -Infinity, null]])).toEqual([0.1, -2.5e300, 5e-324, Infinity, -Infinity, null]);
    expect(await one('select array_position($1::float8[], $2::float8) as v', [[1, NaN], NaN])).toBe(2);
    expect(await one('select $1::boolean[] as v', [[true, false, null]])).toEqual([true, false, null]);
  });

  it('reads jsonb as sent, from JSON text or a value', async () => {
    const value = { 位置: '急诊楼', list: [1, 2.5, null, true], nested: { s: 'a "b" \\ c', e: '🔥' } };
    expect(await one('select $1::jsonb as v', [JSON.stringify(value)])).toEqual(value);
    expect(await one('select $1::jsonb as v', [value])).toEqual(value);
    expect(await one('select jsonb_array_length($1::jsonb) as v', [JSON.stringify([value, value])])).toBe(2);
  });

  it('stores rows from arrays as the store writes them', async () => {
    const rows = await db.query<{ id: string; n: string | number; at: string | number; data: unknown }>(
      `select id, n, at, data from rows from (unnest($1::text[]), unnest($2::int[]), unnest($3::int8[]), jsonb_array_elements($4::jsonb)) as r (id, n, at, data)`,
      [['a', '乙'], [1, null], [Date.UTC(2026, 0, 1), null], JSON.stringify([{ k: 1 }, null])]);
    expect(rows.map((r) => ({ ...r, at: r.at === null ? null : Number(r.at) }))).toEqual([
      { id: 'a', n: 1, at: Date.UTC(2026, 0, 1), data: { k: 1 } },
      { id: '乙', n: null, at: null, data: null },
    ]);
  });

  it('refuses what it refused before, with the same error, and takes what the text way took', async () => {
    await expect(db.query('select $1::int[] as v', [[1.5]])).rejects.toMatchObject({ code: '22P02' });
    await expect(db.query('select $1::int[] as v', [[2 ** 31]])).rejects.toMatchObject({ code: '22003' });
    await expect(db.query('select $1::jsonb as v', ['{not json'])).rejects.toMatchObject({ code: '22P02' });
    expect(await one('select $1::int8[] as v', [['42']])).toEqual([db.kind === 'pglite' ? 42 : '42']);
  });
});
