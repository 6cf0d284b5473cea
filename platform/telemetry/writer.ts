// Telemetry is written in batches off the alarm path: frames queue here and are flushed
// together; a QoS 1 frame's promise resolves when its batch is stored.
import type { Logger } from 'pino';
import type { TelemetryRow } from '../store/store.js';

export interface TelemetryWriterOptions {
  write(rows: TelemetryRow[]): Promise<void>;
  logger: Logger;
  maxBatch?: number;
  flushMs?: number;
}

interface Pending {
  rows: TelemetryRow[];
  waiters: { resolve: () => void; reject: (err: unknown) => void }[];
}

export class TelemetryWriter {
  private pending: Pending = { rows: [], waiters: [] };
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly maxBatch: number;
  private readonly flushMs: number;
  written = 0;
  failed = 0;

  constructor(private readonly opts: TelemetryWriterOptions) {
    this.maxBatch = opts.maxBatch ?? 2000;
    this.flushMs = opts.flushMs ?? 200;
  }

  add(row: TelemetryRow, durable: boolean): Promise<void> {
    this.pending.rows.push(row);
    const done = durable ? new Promise<void>((resolve, reject) => this.pending.waiters.push({ resolve, reject })) : Promise.resolve();
    if (this.pending.rows.length >= this.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
    return done;
  }

  /** Writes what is queued; batches are written one after another, in order. */
  flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    const batch = this.pending;
    this.pending = { rows: [], waiters: [] };
    if (batch.rows.length === 0) return this.flushing;
    this.flushing = this.flushing.then(async () => {
      try {
        await this.opts.write(batch.rows);
        this.written += batch.rows.length;
        for (const w of batch.waiters) w.resolve();
      } catch (err) {
        this.failed += batch.rows.length;
        this.opts.logger.error({ err, rows: batch.rows.length }, 'telemetry batch not stored');
        for (const w of batch.waiters) w.reject(err);
      }
    });
    return this.flushing;
  }
}
