// Last-seen times are kept in memory and written in one statement every few seconds (app.ts
// schedules flush), not one update per message.
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';

export class LastSeen {
  private pending = new Map<string, number>();
  constructor(private readonly store: Store, private readonly logger: Logger) {}

  mark(deviceId: string, at: number): void {
    const prev = this.pending.get(deviceId);
    if (prev === undefined || at > prev) this.pending.set(deviceId, at);
  }

  async flush(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.store.touchDevices(batch);
    } catch (err) {
      this.logger.error({ err, devices: batch.size }, 'could not record last-seen times; retrying');
      for (const [id, at] of batch) this.mark(id, at);
    }
  }

}
