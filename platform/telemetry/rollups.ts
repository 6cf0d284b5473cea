// Keeps the rollups equal to the raw readings. Each stored reading is added to its minute's and hour's
// aggregate in memory, and a scheduled job merges those into the rollup table in small statements (events
// go first between them): the cost follows what arrived, never what a minute already holds. A watermark in
// the database says up to which minute everything is rolled up; at start the minutes since then are
// recomputed from raw, before any new reading is added, so a crash loses nothing of the rollups.
import type { RawRow, RollupRow } from '../store/telemetry.js';
import { HOUR, MINUTE } from '../store/telemetry.js';
import type { Store } from '../store/store.js';

const WATERMARK = 'telemetry_rollup_watermark';
/** Rollup rows per statement: small enough that an alarm never waits long behind one. */
export const MERGE_CHUNK = 500;

/** A metric's value as rollups count it: booleans as 0 / 1; numbers too large to sum are left out (as in raw). */
export function rollupValue(v: number | boolean): number | null {
  if (typeof v === 'boolean') return v ? 1 : 0;
  return Number.isFinite(v) && Math.abs(v) < 1e12 ? v : null;
}

/** A rollup row's identity: the table's primary key. */
const keyOf = (r: Pick<RollupRow, 'resolution' | 'deviceId' | 'metric' | 'port' | 'bucket'>): string =>
  `${r.resolution}|${r.deviceId}|${r.metric}|${r.port}|${r.bucket}`;

/** Adds `readings` to the minute and hour aggregates in `into` (keyed by resolution, device, metric, port, bucket). */
export function aggregate(into: Map<string, RollupRow>, readings: Iterable<RawRow>): void {
  for (const r of readings) {
    const port = r.port ?? -1;
    for (const [metric, raw] of Object.entries(r.metrics)) {
      const v = rollupValue(raw);
      if (v === null) continue;
      for (const [resolution, size] of [['1m', MINUTE], ['1h', HOUR]] as const) {
        const bucket = Math.floor(r.ts / size) * size;
        mergeInto(into, { resolution, deviceId: r.deviceId, metric, port, bucket, min: v, max: v, sum: v, count: 1, last: v, lastTs: r.ts });
      }
    }
  }
}

/** Adds `row` to its bucket's aggregate in `into`, or makes it that aggregate. */
function mergeInto(into: Map<string, RollupRow>, row: RollupRow): void {
  const key = keyOf(row);
  const a = into.get(key);
  if (a) addTo(a, row); else into.set(key, row);
}

/** Merges aggregate `b` into `a` (as the rollup table's upsert does). */
function addTo(a: RollupRow, b: RollupRow): void {
  a.min = Math.min(a.min, b.min);
  a.max = Math.max(a.max, b.max);
  a.sum += b.sum;
  a.count += b.count;
  if (b.lastTs >= a.lastTs) { a.last = b.last; a.lastTs = b.lastTs; }
}

export class RollupJob {
  private pending = new Map<string, RollupRow>();
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
    aggregate(this.pending, readings);
  }

  /** Merges the aggregates into the rollup table and moves the watermark to the current minute; answers the rows merged. */
  async run(): Promise<number> {
    if (this.pending.size === 0) return 0;
    const currentMinute = Math.floor(this.now() / MINUTE) * MINUTE;
    const rows = [...this.pending.values()];
    this.pending = new Map();
    let merged = 0;
    try {
      for (; merged < rows.length; merged += MERGE_CHUNK) {
        await this.yieldTo();
        await this.store.telemetry.mergeRollups(rows.slice(merged, merged + MERGE_CHUNK));
      }
      await this.store.setSetting(WATERMARK, new Date(currentMinute).toISOString());
    } catch (err) {
      // what was not merged waits for the next run, added to what arrived meanwhile
      for (const row of rows.slice(merged)) mergeInto(this.pending, row);
      throw err;
    }
    this.runs++;
    return rows.length;
  }
}
