// The embedded telemetry store on both adapters: rollups equal what the raw readings imply,
// the rollup job catches up after a restart, and retention deletes only what is past its window.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlExecutor } from '../../platform/store/executor.js';
import { Store } from '../../platform/store/store.js';
import { HOUR, MINUTE, type RawRow } from '../../platform/store/telemetry.js';
import { Aggregates, HOUR_MERGE_MS, MERGE_CHUNK, RollupJob } from '../../platform/telemetry/rollups.js';
import { readingTime } from '../../platform/telemetry/timestamp.js';
import { bothAdapters } from '../helpers/adapters.js';

const adapters = bothAdapters('telemetry');

const T0 = Date.UTC(2026, 10, 20, 8, 0, 0); // a whole hour

/** A deterministic stream: 3 devices (one charger with two ports) over 2.5 hours, numbers and booleans. */
function stream(): RawRow[] {
  const rows: RawRow[] = [];
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let t = T0; t < T0 + 2.5 * HOUR; t += 17_000) {
    rows.push({ deviceId: 'sd-1', ts: t, port: null, metrics: { smoke_db_m: Number((rand() * 0.1).toFixed(4)), battery_pct: 90 - Math.floor((t - T0) / HOUR) } });
    rows.push({ deviceId: 'hc-1', ts: t + 3000, port: null, metrics: { voc_ppm: Number((rand() * 60).toFixed(2)), door_open: rand() > 0.8 } });
    for (const port of [1, 2]) rows.push({ deviceId: 'cs-1', ts: t + 5000 + port, port, metrics: { temperature_c: Number((30 + rand() * 40).toFixed(2)), current_a: Number((rand() * 8).toFixed(3)) } });
  }
  return rows;
}

/** What the rollups must be, computed here from the raw rows. */
function expected(rows: RawRow[], bucketMs: number) {
  const out = new Map<string, { min: number; max: number; sum: number; count: number; last: number; lastTs: number }>();
  for (const r of rows) {
    for (const [metric, raw] of Object.entries(r.metrics)) {
      const v = typeof raw === 'boolean' ? (raw ? 1 : 0) : raw;
      const key = `${r.deviceId}|${metric}|${r.port ?? -1}|${Math.floor(r.ts / bucketMs) * bucketMs}`;
      const a = out.get(key);
      if (!a) out.set(key, { min: v, max: v, sum: v, count: 1, last: v, lastTs: r.ts });
      else Object.assign(a, { min: Math.min(a.min, v), max: Math.max(a.max, v), sum: a.sum + v, count: a.count + 1, ...(r.ts >= a.lastTs ? { last: v, lastTs: r.ts } : {}) });
    }
  }
  return out;
}

describe('timestamps and ranges (pure)', () => {
  it('keeps the device time unless it is missing, in the future or older than the raw window', () => {
    const now = T0;
    expect(readingTime(now - 5000, now, 7 * 24 * HOUR)).toBe(now - 5000);
    expect(readingTime(undefined, now, 7 * 24 * HOUR)).toBe(now);
    expect(readingTime(now + HOUR, now, 7 * 24 * HOUR)).toBe(now);
    expect(readingTime(now - 8 * 24 * HOUR, now, 7 * 24 * HOUR)).toBe(now);
  });
  it('aggregates readings per minute and hour as the raw readings imply, leaving out values too large to sum', () => {
    const into = new Aggregates();
    const late: RawRow = { deviceId: 'cs-1', ts: T0 + 30_000, port: 2, metrics: { temperature_c: 99.5 } }; // its minute and hour long past
    const readings = [...stream(), late];
    into.add(readings.slice(0, -1));
    into.add([late]);
    into.add([{ deviceId: 'sd-1', ts: T0, port: null, metrics: { battery_pct: 1.7e308 } }]);
    for (const [resolution, size] of [['1m', MINUTE], ['1h', HOUR]] as const) {
      const got = new Map([...into.rows.values()].filter((r) => r.resolution === resolution)
        .map((r) => [`${r.deviceId}|${r.metric}|${r.port}|${r.bucket}`, { min: r.min, max: r.max, sum: r.sum, count: r.count, last: r.last, lastTs: r.lastTs }]));
      expect(got).toEqual(expected(readings, size));
    }
  });
});

describe.each(adapters)('telemetry store on %s', (_kind, open) => {
  let db: SqlExecutor;
  let store: Store;
  const rows = stream();

  beforeAll(async () => {
    db = await open();
    store = new Store(db);
    await store.migrate();
    for (let i = 0; i < rows.length; i += 500) await store.telemetry.insert(rows.slice(i, i + 500));
  });
  afterAll(() => db?.close());

  const read = async (resolution: '1m' | '1h') => {
    const got = await db.query<Record<string, unknown>>(`select device_id, metric, port, bucket, min, max, sum, count, last, last_ts from telemetry_rollups where resolution = $1`, [resolution]);
    return new Map(got.map((r) => [`${r.device_id}|${r.metric}|${r.port}|${(r.bucket as Date).getTime()}`, { min: Number(r.min), max: Number(r.max), sum: Number(r.sum), count: Number(r.count), last: Number(r.last), lastTs: (r.last_ts as Date).getTime() }]));
  };

  function expectSame(got: Map<string, { sum: number }>, want: Map<string, { sum: number }>) {
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [key, w] of want) {
      const g = got.get(key)!;
      expect({ ...g, sum: Number(g.sum.toFixed(6)) }, key).toEqual({ ...w, sum: Number(w.sum.toFixed(6)) });
    }
  }

  it('rolls minutes and hours up to exactly what the raw readings imply (booleans as 0/1, per port)', async () => {
    await store.telemetry.rollup(T0, T0 + 3 * HOUR);
    expectSame(await read('1m'), expected(rows, MINUTE));
    expectSame(await read('1h'), expected(rows, HOUR));
  });

  it('recomputes a bucket that receives late readings, idempotently', async () => {
    const late: RawRow = { deviceId: 'sd-1', ts: T0 + 10 * MINUTE + 1, port: null, metrics: { smoke_db_m: 0.99, battery_pct: 91 } };
    await store.telemetry.insert([late]);
    await store.telemetry.rollup(T0 + 10 * MINUTE, T0 + 11 * MINUTE);
    await store.telemetry.rollup(T0 + 10 * MINUTE, T0 + 11 * MINUTE);
    rows.push(late);
    expectSame(await read('1m'), expected(rows, MINUTE));
    expectSame(await read('1h'), expected(rows, HOUR));
  });

  it('answers queries with raw points or rollups with min/max/avg/last', async () => {
    const raw = await store.telemetry.query('cs-1', 'temperature_c', T0, T0 + MINUTE, 'raw', 1000);
    expect(raw.length).toBe(rows.filter((r) => r.deviceId === 'cs-1' && r.ts >= T0 && r.ts < T0 + MINUTE).length);
    expect(new Set(raw.map((p) => p.port))).toEqual(new Set([1, 2]));
    const hours = await store.telemetry.query('sd-1', 'smoke_db_m', T0, T0 + 3 * HOUR, '1h', 1000);
    expect(hours).toHaveLength(3);
    const first = hours[0] as { min: number; max: number; avg: number; count: number; port: number | null };
    const inHour = rows.filter((r) => r.deviceId === 'sd-1' && r.ts < T0 + HOUR).map((r) => r.metrics.smoke_db_m as number);
    expect(first.count).toBe(inHour.length);
    expect(first.max).toBe(Math.max(...inHour));
    expect(first.avg).toBeCloseTo(inHour.reduce((a, b) => a + b, 0) / inHour.length, 9);
    expect(first.port).toBeNull();
  });

  it('the rollup job merges what arrives, in several runs and chunks, into exactly what the raw readings imply', async () => {
    await db.query('delete from telemetry_rollups');
    await db.query('delete from telemetry');
    const job = new RollupJob(store, () => T0 + 3 * HOUR);
    // in pieces, as the writer stores them; a run between some of them, and late readings into merged buckets
    const shuffled = [...rows].sort((a, b) => (a.ts * 7919) % 1013 - (b.ts * 7919) % 1013);
    for (let i = 0; i < shuffled.length; i += 400) {
      const piece = shuffled.slice(i, i + 400);
      await store.telemetry.insert(piece);
      job.mark(piece);
      if (i % 1200 === 0) await job.run();
    }
    expect(await job.run()).toBeGreaterThan(MERGE_CHUNK); // more rows than one statement takes
    expectSame(await read('1m'), expected(rows, MINUTE));
    expectSame(await read('1h'), expected(rows, HOUR));
  });

  it('the rollup job recomputes from raw, after a restart, what arrived since its watermark', async () => {
    let now = T0 + 3 * HOUR;
    const job = new RollupJob(store, () => now);
    await job.start();
    await job.run();
    // readings arrive while "FireNet is down" (no job marks them), then a new job starts from the watermark
    const missed: RawRow[] = [{ deviceId: 'sd-9', ts: now + 30_000, port: null, metrics: { battery_pct: 50 } }, { deviceId: 'sd-9', ts: now + 90_000, port: null, metrics: { battery_pct: 48 } }];
    await store.telemetry.insert(missed);
    now += 5 * MINUTE;
    const restarted = new RollupJob(store, () => now);
    await restarted.start();
    await restarted.run();
    const got = await store.telemetry.query('sd-9', 'battery_pct', T0, now, '1m', 100);
    expect(got.map((p) => ('last' in p ? p.last : null))).toEqual([50, 48]);
  });

  it('merges a minute once it has ended and the current hour every HOUR_MERGE_MS; a restart recomputes what was held back', async () => {
    let now = T0 + 10 * HOUR + 30 * MINUTE + 5000;
    const hour = T0 + 10 * HOUR;
    const job = new RollupJob(store, () => now);
    await job.start();
    const arrive = async (ts: number, battery: number) => {
      const r: RawRow[] = [{ deviceId: 'sd-h', ts, port: null, metrics: { battery_pct: battery } }];
      await store.telemetry.insert(r);
      job.mark(r);
    };
    const counts = async (step: '1m' | '1h', from = hour) => (await store.telemetry.query('sd-h', 'battery_pct', from, hour + HOUR, step, 100)).map((p) => ('count' in p ? p.count : NaN));
    await arrive(now - 1000, 80);
    const ahead: RawRow[] = [{ deviceId: 'sd-ahead', ts: now + 3 * MINUTE, port: null, metrics: { battery_pct: 70 } }];
    await store.telemetry.insert(ahead);
    job.mark(ahead);
    await job.run();
    expect(await counts('1m')).toEqual([]); // its minute lasts: not written yet
    // a device clock ahead: its minute is written at once, since a restart would not recompute it
    expect(await store.telemetry.query('sd-ahead', 'battery_pct', hour, hour + HOUR, '1m', 10)).toHaveLength(1);
    expect(await counts('1h')).toEqual([1]); // the first run merges the hour
    now += 20_000;
    await arrive(now - 1000, 79);
    await arrive(hour - 5 * MINUTE, 81); // late, into the hour before: merged now, before the watermark moves on
    await job.run();
    expect(await counts('1m')).toEqual([]);
    expect(await counts('1h')).toEqual([1]); // the current hour waits
    expect(await counts('1h', hour - HOUR)).toEqual([1, 1]);
    now += 40_000; // the minute has ended
    await arrive(now - 1000, 78);
    await job.run();
    expect(await counts('1m')).toEqual([2]);
    now += HOUR_MERGE_MS;
    await arrive(now - 1000, 77);
    await job.run();
    expect(await counts('1m')).toEqual([2, 1]);
    expect(await counts('1h')).toEqual([4]);
    // held back again, then FireNet stops: the restart recomputes the watermark's minute and hour
    now += 20_000;
    await arrive(now - 1000, 76);
    await job.run();
    expect(await counts('1h')).toEqual([4]);
    const restarted = new RollupJob(store, () => now);
    await restarted.start();
    expect(await counts('1m')).toEqual([2, 1, 2]);
    expect(await counts('1h')).toEqual([5]);
    // a run at once merges the current minute and hour too
    await arrive(now, 75);
    restarted.mark([{ deviceId: 'sd-h', ts: now, port: null, metrics: { battery_pct: 75 } }]);
    expect(await restarted.run(true)).toBe(2);
    expect(await counts('1m')).toEqual([2, 1, 3]);
    expect(await counts('1h')).toEqual([6]);
  });

  it('retention deletes raw readings past their window and rollups past theirs, nothing newer', async () => {
    const before = await store.telemetry.size();
    const cut = T0 + HOUR;
    const olderRaw = rows.filter((r) => r.ts < cut).length;
    const [{ n: olderRollups }] = await db.query<{ n: number }>('select count(*)::int as n from telemetry_rollups where bucket < $1', [new Date(T0 + 30 * MINUTE).toISOString()]);
    expect(olderRollups).toBeGreaterThan(0);
    const deleted = await store.telemetry.retain(cut, T0 + 30 * MINUTE);
    expect(deleted.raw).toBe(olderRaw);
    const after = await store.telemetry.size();
    expect(after.rawRows).toBe(before.rawRows - olderRaw);
    const [{ oldest }] = await db.query<{ oldest: Date }>('select min(ts) as oldest from telemetry');
    expect(oldest.getTime()).toBeGreaterThanOrEqual(cut);
    const [{ oldestRollup }] = await db.query<{ oldestRollup: Date }>(`select min(bucket) as "oldestRollup" from telemetry_rollups`);
    expect(oldestRollup.getTime()).toBe(T0 + 30 * MINUTE);
    // the hour rollup at T0 is older than the rollup window: gone; the minute rollups from T0+30m stay
    expect(deleted.rollups).toBe(olderRollups);
    expect([...(await read('1h')).keys()].every((k) => Number(k.split('|')[3]) >= T0 + 30 * MINUTE)).toBe(true);
    expect([...(await read('1m')).keys()].some((k) => Number(k.split('|')[3]) === T0 + 30 * MINUTE)).toBe(true);
  });
});
