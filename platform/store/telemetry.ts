// The embedded telemetry store: raw readings for a window (default 7 days) and per-minute and
// per-hour rollups (min / max / avg / last) for 400 days. New readings' aggregates are merged into the
// rollups as they come (telemetry/rollups.ts); after a stop, the buckets since the last merge are recomputed
// from the raw readings, so the rollups always equal what the raw readings imply.
import type { Queryable, SqlExecutor } from './executor.js';
import { bulkRows, epochMs, fromEpochMs, iso, when, type Row } from './rows.js';

export interface RawRow {
  deviceId: string;
  ts: number;
  port: number | null;
  metrics: Record<string, number | boolean>;
}

export type Resolution = '1m' | '1h';

/** One bucket's aggregate of one metric (port -1: the device's own, not a port's). */
export interface RollupRow {
  resolution: Resolution;
  deviceId: string;
  metric: string;
  port: number;
  bucket: number;
  min: number;
  max: number;
  sum: number;
  count: number;
  last: number;
  lastTs: number;
}
export const MINUTE = 60_000;
export const HOUR = 3_600_000;

export type TelemetryPoint =
  | { t: string; port: number | null; value: number | boolean }
  | { t: string; port: number | null; min: number; max: number; avg: number; last: number; count: number };

/**
 * A metric's value as a number for rollups: booleans count as 0 / 1. Anything else, and numbers too large to sum
 * (readings from before metrics had ranges), is null and left out, so one bad row cannot fail a whole window.
 */
const VALUE = `(case jsonb_typeof(m.value)
  when 'boolean' then (case when m.value = 'true'::jsonb then 1.0 else 0.0 end)
  when 'number' then (case when abs((m.value #>> '{}')::numeric) < 1e12 then (m.value #>> '{}')::double precision end)
  end)`;

const UPSERT = `on conflict (resolution, device_id, metric, port, bucket) do update set
  min = excluded.min, max = excluded.max, sum = excluded.sum, count = excluded.count, last = excluded.last, last_ts = excluded.last_ts`;

export class TelemetryStore {
  constructor(private readonly db: SqlExecutor) {}

  async insert(rows: readonly RawRow[], q: Queryable = this.db): Promise<void> {
    if (rows.length === 0) return;
    await q.query(
      `insert into telemetry (device_id, ts, port, metrics)
       select device_id, ${fromEpochMs('ts')}, port, metrics from ${bulkRows('r', { device_id: 'text', ts: 'int8', port: 'int', metrics: 'jsonb' })}`,
      [rows.map((r) => r.deviceId), rows.map((r) => epochMs(r.ts)), rows.map((r) => r.port), JSON.stringify(rows.map((r) => r.metrics))],
    );
  }

  async count(deviceId: string): Promise<number> {
    const rows = await this.db.query<{ n: number }>('select count(*)::int as n from telemetry where device_id = $1', [deviceId]);
    return rows[0]?.n ?? 0;
  }

  /** Recomputes the minute rollups of [from, to) from the raw readings, then the hours that contain them. */
  async rollup(from: number, to: number): Promise<void> {
    const hourFrom = Math.floor(from / HOUR) * HOUR;
    const hourTo = Math.ceil(to / HOUR) * HOUR;
    await this.db.transaction(async (tx) => {
      await tx.query(
        `insert into telemetry_rollups (resolution, device_id, metric, port, bucket, min, max, sum, count, last, last_ts)
         select '1m', t.device_id, m.key, coalesce(t.port, -1), date_trunc('minute', t.ts),
                min(v.value), max(v.value), sum(v.value), count(*), (array_agg(v.value order by t.ts desc))[1], max(t.ts)
         from telemetry t cross join lateral jsonb_each(t.metrics) m cross join lateral (select ${VALUE} as value) v
         where t.ts >= $1 and t.ts < $2 and v.value is not null
         group by t.device_id, m.key, coalesce(t.port, -1), date_trunc('minute', t.ts)
         ${UPSERT}`, [when(from), when(to)]);
      await tx.query(
        `insert into telemetry_rollups (resolution, device_id, metric, port, bucket, min, max, sum, count, last, last_ts)
         select '1h', device_id, metric, port, date_trunc('hour', bucket), min(min), max(max), sum(sum), sum(count),
                (array_agg(last order by last_ts desc))[1], max(last_ts)
         from telemetry_rollups where resolution = '1m' and bucket >= $1 and bucket < $2
         group by device_id, metric, port, date_trunc('hour', bucket)
         ${UPSERT}`, [when(hourFrom), when(hourTo)]);
    });
  }

  /** Adds aggregates of new readings to their buckets (each key once per call). */
  async mergeRollups(rows: readonly RollupRow[]): Promise<void> {
    if (rows.length === 0) return;
    const col = <T>(f: (r: RollupRow) => T) => rows.map(f);
    await this.db.query(
      `insert into telemetry_rollups as r (resolution, device_id, metric, port, bucket, min, max, sum, count, last, last_ts)
       select resolution, device_id, metric, port, ${fromEpochMs('bucket')}, min, max, sum, count, last, ${fromEpochMs('last_ts')}
       from ${bulkRows('u', {
         resolution: 'text', device_id: 'text', metric: 'text', port: 'int', bucket: 'int8', min: 'float8', max: 'float8', sum: 'float8', count: 'int',
         last: 'float8', last_ts: 'int8',
       })}
       on conflict (resolution, device_id, metric, port, bucket) do update set
         min = least(r.min, excluded.min), max = greatest(r.max, excluded.max), sum = r.sum + excluded.sum, count = r.count + excluded.count,
         last = case when excluded.last_ts >= r.last_ts then excluded.last else r.last end, last_ts = greatest(r.last_ts, excluded.last_ts)`,
      [col((r) => r.resolution), col((r) => r.deviceId), col((r) => r.metric), col((r) => r.port), col((r) => epochMs(r.bucket)),
        col((r) => r.min), col((r) => r.max), col((r) => r.sum), col((r) => r.count), col((r) => r.last), col((r) => epochMs(r.lastTs))]);
  }

  /** Deletes raw readings older than `rawBefore` and rollups older than `rollupBefore`. */
  async retain(rawBefore: number, rollupBefore: number): Promise<{ raw: number; rollups: number }> {
    const raw = await this.db.query<{ n: number }>(`with d as (delete from telemetry where ts < $1 returning 1) select count(*)::int as n from d`, [when(rawBefore)]);
    const rollups = await this.db.query<{ n: number }>(`with d as (delete from telemetry_rollups where bucket < $1 returning 1) select count(*)::int as n from d`, [when(rollupBefore)]);
    return { raw: raw[0]?.n ?? 0, rollups: rollups[0]?.n ?? 0 };
  }

  async query(deviceId: string, metric: string, from: number, to: number, step: 'raw' | Resolution, limit: number): Promise<TelemetryPoint[]> {
    const port = (v: unknown) => (v == null || Number(v) < 0 ? null : Number(v));
    if (step === 'raw') {
      const rows = await this.db.query(
        `select ts, port, metrics -> $2 as value from telemetry where device_id = $1 and ts >= $3 and ts < $4 and metrics ? $2 order by ts, port limit $5`,
        [deviceId, metric, when(from), when(to), limit]);
      return rows.map((r: Row) => ({ t: iso(r.ts), port: port(r.port), value: r.value as number | boolean }));
    }
    const rows = await this.db.query(
      `select bucket, port, min, max, sum, count, last from telemetry_rollups
       where resolution = $1 and device_id = $2 and metric = $3 and bucket >= $4 and bucket < $5 order by bucket, port limit $6`,
      [step, deviceId, metric, when(Math.floor(from / bucketMs(step)) * bucketMs(step)), when(to), limit]);
    return rows.map((r: Row) => ({
      t: iso(r.bucket), port: port(r.port), min: Number(r.min), max: Number(r.max), avg: Number(r.sum) / Number(r.count), last: Number(r.last), count: Number(r.count),
    }));
  }

  /** Rows and bytes on disk (raw table, rollups), for the benchmark and /metrics. */
  async size(): Promise<{ rawRows: number; rollupRows: number; rawBytes: number; rollupBytes: number }> {
    const [r] = await this.db.query(
      `select (select count(*) from telemetry)::int as raw_rows, (select count(*) from telemetry_rollups)::int as rollup_rows,
              pg_total_relation_size('telemetry')::float8 as raw_bytes, pg_total_relation_size('telemetry_rollups')::float8 as rollup_bytes`);
    return { rawRows: Number(r!.raw_rows), rollupRows: Number(r!.rollup_rows), rawBytes: Number(r!.raw_bytes), rollupBytes: Number(r!.rollup_bytes) };
  }
}

export const bucketMs = (r: Resolution): number => (r === '1m' ? MINUTE : HOUR);
