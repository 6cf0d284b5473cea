// Keeps the rollups equal to the raw readings. Each stored reading is added to its minute's and hour's
// aggregate in memory, and a scheduled job merges those into the rollup table in small statements (events
// go first between them): the cost follows what arrived, never what a minute already holds. A minute is merged
// once it has ended, so a bucket is written once and not rewritten six times while its minute lasts: PGlite has no
// autovacuum, and each rewrite left a dead copy behind (7.5 times the table's live size, measured). The current
// hour is merged every HOUR_MERGE_MS. A watermark in the database says up to which minute everything is rolled up;
// at start the minutes since then are recomputed from raw, and the hours that hold them from their minutes, before
// any new reading is added, so a crash loses nothing of the rollups (what was held back is the watermark's own
// minute and hour).
import type { RawRow, Resolution, RollupRow } from '../store/telemetry.js';
import { HOUR, MINUTE } from '../store/telemetry.js';
import type { Store } from '../store/store.js';

const WATERMARK = 'telemetry_rollup_watermark';
/** Rollup rows per statement: small enough that an alarm never waits long behind one. */
export const MERGE_CHUNK = 500;
/** How often the current hour's buckets are merged: an hour's point is at most this much behind its minutes. */
export const HOUR_MERGE_MS = 5 * MINUTE;

/** A metric's value as rollups count it: booleans as 0 / 1; numbers too large to sum are left out (as in raw). */
export function rollupValue(v: number | boolean): number | null {
  if (typeof v === 'boolean') return v ? 1 : 0;
  return Number.isFinite(v) && Math.abs(v) < 1e12 ? v : null;
}

/** A rollup row's identity: the table's primary key. */
const keyOf = (r: Pick<RollupRow, 'resolution' | 'deviceId' | 'metric' | 'port' | 'bucket'>): string =>
  `${r.resolution}|${r.deviceId}|${r.metric}|${r.port}|${r.bucket}`;

/** A series' keys (a device's metric on one port) for the minute and the hour its latest reading fell in. */
interface SeriesKeys { minute: number; minuteKey: string; hour: number; hourKey: string }

/**
 * Aggregates per bucket (resolution, device, metric, port, bucket), as the rollup table keys them. Readings are added
 * for every one stored, ten thousand a second under load: each series keeps the keys of its current minute and hour,
 * so a reading makes no new key string (building and hashing them was ~5 µs of a reading's ~27), and a bucket
 * already aggregated is added to in place.
 */
export class Aggregates {
  readonly rows = new Map<string, RollupRow>();
  /** By device, port and metric. */
  private readonly keys = new Map<string, Map<number, Map<string, SeriesKeys>>>();

  /** Adds `readings` to their minutes' and hours' aggregates. */
  add(readings: Iterable<RawRow>): void {
    for (const r of readings) {
      const port = r.port ?? -1;
      const minute = Math.floor(r.ts / MINUTE) * MINUTE;
      const hour = Math.floor(r.ts / HOUR) * HOUR;
      const series = this.seriesOf(r.deviceId, port);
      for (const metric in r.metrics) {
        const v = rollupValue(r.metrics[metric]!);
        if (v === null) continue;
        let k = series.get(metric);
        if (!k) series.set(metric, (k = { minute: NaN, minuteKey: '', hour: NaN, hourKey: '' }));
        if (k.minute !== minute) [k.minute, k.minuteKey] = [minute, keyOf({ resolution: '1m', deviceId: r.deviceId, metric, port, bucket: minute })];
        if (k.hour !== hour) [k.hour, k.hourKey] = [hour, keyOf({ resolution: '1h', deviceId: r.deviceId, metric, port, bucket: hour })];
        this.addValue(k.minuteKey, '1m', r.deviceId, metric, port, minute, v, r.ts);
        this.addValue(k.hourKey, '1h', r.deviceId, metric, port, hour, v, r.ts);
      }
    }
  }

  /** Adds an aggregate to its bucket's (one that could not be merged into the table yet). */
  merge(row: RollupRow): void {
    const key = keyOf(row);
    const a = this.rows.get(key);
    if (a) addTo(a, row); else this.rows.set(key, row);
  }

  private seriesOf(deviceId: string, port: number): Map<string, SeriesKeys> {
    let ports = this.keys.get(deviceId);
    if (!ports) this.keys.set(deviceId, (ports = new Map()));
    let metrics = ports.get(port);
    if (!metrics) ports.set(port, (metrics = new Map()));
    return metrics;
  }

  private addValue(key: string, resolution: Resolution, deviceId: string, metric: string, port: number, bucket: number, v: number, ts: number): void {
    const a = this.rows.get(key);
    if (a) addTo(a, { min: v, max: v, sum: v, count: 1, last: v, lastTs: ts });
    else this.rows.set(key, { resolution, deviceId, metric, port, bucket, min: v, max: v, sum: v, count: 1, last: v, lastTs: ts });
  }
}

/** Merges aggregate `b` into `a` (as the rollup table's upsert does). */
function addTo(a: RollupRow, b: Pick<RollupRow, 'min' | 'max' | 'sum' | 'count' | 'last' | 'lastTs'>): void {
  a.min = Math.min(a.min, b.min);
  a.max = Math.max(a.max, b.max);
  a.sum += b.sum;
  a.count += b.count;
  if (b.lastTs >= a.lastTs) { a.last = b.last; a.lastTs = b.lastTs; }
}

export class RollupJob {
  private pending = new Aggregates();
  private hoursMergedAt = -Infinity;
  runs = 0;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
    /** Awaited before each statement: device events go first. */
    private readonly yieldTo: () => Promise<void> = async () => {},
  ) {}

  /** Recomputes from raw every minute since the last watermark (or the last hour): what a stop left unmerged. */
  async start(): Promise<void> {
    const saved = await this.store.getSetting(WATERMARK);
    const from = Math.floor((saved ? Date.parse(saved) : this.now() - HOUR) / MINUTE) * MINUTE;
    const to = Math.floor(this.now() / MINUTE) * MINUTE + MINUTE;
    for (let m = from; m < to; m += 10 * MINUTE) {
      await this.yieldTo();
      await this.store.telemetry.rollup(m, Math.min(m + 10 * MINUTE, to));
    }
  }

  /** Readings just stored: added to their buckets' aggregates. */
  mark(readings: Iterable<RawRow>): void {
    this.pending.add(readings);
  }

  /**
   * Merges the aggregates of every minute but the current one, and of every hour but the current one unless that was
   * last merged HOUR_MERGE_MS ago, and moves the watermark to the current minute; answers the rows merged. Buckets
   * ahead of the clock (a device's clock may be up to 5 minutes ahead) go at once: a restart would not recompute
   * them. `everything` merges the current minute and hour too (a job run at once: what has arrived is in the charts
   * now).
   */
  async run(everything = false): Promise<number> {
    if (this.pending.rows.size === 0) return 0;
    const now = this.now();
    const currentMinute = Math.floor(now / MINUTE) * MINUTE;
    const currentHour = Math.floor(now / HOUR) * HOUR;
    const hoursDue = everything || now - this.hoursMergedAt >= HOUR_MERGE_MS;
    const rows: RollupRow[] = [];
    const held = new Aggregates();
    for (const [key, row] of this.pending.rows) {
      const current = row.resolution === '1m' ? !everything && row.bucket === currentMinute : !hoursDue && row.bucket === currentHour;
      if (current) held.rows.set(key, row); // under the key it has (merge() would build it again, for every series, every run)
      else rows.push(row);
    }
    this.pending = held;
    if (rows.length === 0) return 0;
    let merged = 0;
    try {
      for (; merged < rows.length; merged += MERGE_CHUNK) {
        await this.yieldTo();
        await this.store.telemetry.mergeRollups(rows.slice(merged, merged + MERGE_CHUNK));
      }
      await this.store.setSetting(WATERMARK, new Date(currentMinute).toISOString());
      if (hoursDue) this.hoursMergedAt = now;
    } catch (err) {
      // what was not merged waits for the next run, added to what arrived meanwhile
      for (const row of rows.slice(merged)) this.pending.merge(row);
      throw err;
    }
    this.runs++;
    return rows.length;
  }
}
