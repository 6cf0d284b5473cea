// Messages dropped for being over a device's rate, counted in memory and written in one statement
// every few seconds (app.ts schedules flush): a flooding device must not turn into a flood of writes.
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';

export class ThrottledCounts {
  private pending = new Map<string, { count: number; at: number }>();
  constructor(private readonly store: Store, private readonly logger: Logger) {}

  add(deviceId: string, at: number, count = 1): void {
    const prev = this.pending.get(deviceId);
    this.pending.set(deviceId, { count: (prev?.count ?? 0) + count, at: Math.max(prev?.at ?? 0, at) });
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.store.addThrottled(batch);
    } catch (err) {
      this.logger.error({ err, devices: batch.size }, 'could not record throttled message counts; retrying');
      for (const [id, { count, at }] of batch) this.add(id, at, count);
    }
  }
}
