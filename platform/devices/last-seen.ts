// Last-seen times are kept in memory and written in one statement every few seconds,
// not one update per message.
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';

export class LastSeen {
  private pending = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly store: Store, private readonly logger: Logger, private readonly flushMs = 2000) {}

  mark(deviceId: string, at: number): void {
    const prev = this.pending.get(deviceId);
    if (prev === undefined || at > prev) this.pending.set(deviceId, at);
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.flushMs);
    this.timer.unref();
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

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
