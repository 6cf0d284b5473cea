// Keeps the rollups equal to the raw readings: the minutes that received readings are marked, and a
// scheduled job recomputes them (and their hours) from raw. A watermark in the database says up to
// where everything is rolled up, so a restart recomputes only what may have been missed.
import type { Store } from '../store/store.js';
import { HOUR, MINUTE } from '../store/telemetry.js';

const WATERMARK = 'telemetry_rollup_watermark';

export class RollupJob {
  /** Minute starts (epoch ms) with readings not yet rolled up. */
  private dirty = new Set<number>();
  runs = 0;

  constructor(private readonly store: Store, private readonly now: () => number = Date.now) {}

  /** Marks everything since the last watermark (or the last hour) as to be recomputed. */
  async start(): Promise<void> {
    const saved = await this.store.getSetting(WATERMARK);
    const from = saved ? Date.parse(saved) : this.now() - HOUR;
    for (let m = Math.floor(from / MINUTE) * MINUTE; m <= this.now(); m += MINUTE) this.dirty.add(m);
  }

  mark(timestamps: Iterable<number>): void {
    for (const ts of timestamps) this.dirty.add(Math.floor(ts / MINUTE) * MINUTE);
  }

  /** Recomputes the marked minutes, in contiguous ranges, and moves the watermark to the current minute. */
  async run(): Promise<number> {
    if (this.dirty.size === 0) return 0;
    const minutes = [...this.dirty].sort((a, b) => a - b);
    this.dirty = new Set();
    const currentMinute = Math.floor(this.now() / MINUTE) * MINUTE;
    try {
      for (const [from, to] of ranges(minutes)) await this.store.telemetry.rollup(from, to);
      await this.store.setSetting(WATERMARK, new Date(currentMinute).toISOString());
    } catch (err) {
      for (const m of minutes) this.dirty.add(m);
      throw err;
    }
    // the current minute is still filling: look at it again next time
    this.dirty.add(currentMinute);
    this.runs++;
    return minutes.length;
  }
}

/** Consecutive minutes as [from, to) ranges. */
export function ranges(minutes: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const m of minutes) {
    const last = out[out.length - 1];
    if (last && last[1] === m) last[1] = m + MINUTE;
    else out.push([m, m + MINUTE]);
  }
  return out;
}
