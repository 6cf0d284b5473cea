// Telemetry is written in batches off the alarm path: readings queue here and are flushed together
// to the embedded store (a QoS 1 reading's promise resolves when its batch is stored) and handed to
// the archive, which never makes this wait. The queue is bounded: past `maxQueued` readings waiting to be
// written, QoS 0 readings (sent at most once by their devices) are dropped and counted, so a fleet sending more
// than the store takes cannot fill the memory or starve the event loop; QoS 1 readings are still taken, and their
// devices wait for their acknowledgements.
import type { Logger } from 'pino';
import { isDataError } from '../store/errors.js';
import type { RawRow } from '../store/telemetry.js';
import type { ArchiveSink, Reading } from './types.js';

export interface TelemetryWriterOptions {
  write(rows: RawRow[]): Promise<void>;
  /** Told which readings were stored (the rollup job adds them to their buckets). */
  stored?(readings: readonly Reading[]): void;
  archive?: ArchiveSink | null;
  logger: Logger;
  maxBatch?: number;
  flushMs?: number;
  /** Readings waiting to be written past which QoS 0 readings are dropped. */
  maxQueued?: number;
}

interface Waiter { resolve: () => void; reject: (err: unknown) => void }

interface Pending {
  readings: Reading[];
  /** The QoS 1 readings' promises, by index in `readings`. */
  waiters: Map<number, Waiter>;
}

export class TelemetryWriter {
  private pending: Pending = { readings: [], waiters: new Map() };
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly maxBatch: number;
  private readonly flushMs: number;
  private readonly maxQueued: number;
  /** Readings handed to the store and not yet written. */
  private writing = 0;
  written = 0;
  failed = 0;
  /** QoS 0 readings dropped because the queue was full. */
  dropped = 0;

  constructor(private readonly opts: TelemetryWriterOptions) {
    this.maxBatch = opts.maxBatch ?? 2000;
    this.flushMs = opts.flushMs ?? 200;
    this.maxQueued = opts.maxQueued ?? 50_000;
  }

  /** Readings waiting to be written. */
  get queued(): number {
    return this.writing + this.pending.readings.length;
  }

  add(reading: Reading, durable: boolean): Promise<void> {
    if (!durable && this.queued >= this.maxQueued) {
      if (this.dropped++ % 10_000 === 0) this.opts.logger.warn({ queued: this.queued, dropped: this.dropped }, 'telemetry arrives faster than it is stored: QoS 0 readings dropped');
      return Promise.resolve();
    }
    const index = this.pending.readings.push(reading) - 1;
    const done = durable ? new Promise<void>((resolve, reject) => this.pending.waiters.set(index, { resolve, reject })) : Promise.resolve();
    if (this.pending.readings.length >= this.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.flushMs);
    return done;
  }

  /** Writes what is queued; batches are written one after another, in order. */
  flush(): Promise<void> {
    if (this.timer) { clearTimeout(this.timer); this.timer = null; }
    const batch = this.pending;
    this.pending = { readings: [], waiters: new Map() };
    if (batch.readings.length === 0) return this.flushing;
    this.opts.archive?.write(batch.readings);
    this.writing += batch.readings.length;
    this.flushing = this.flushing.then(async () => {
      try {
        await this.opts.write(batch.readings.map(toRow));
        this.written += batch.readings.length;
        this.opts.stored?.(batch.readings);
        for (const w of batch.waiters.values()) w.resolve();
      } catch (err) {
        if (isDataError(err)) return this.oneByOne(batch);
        this.failed += batch.readings.length;
        this.opts.logger.error({ err, readings: batch.readings.length }, 'telemetry batch not stored');
        for (const w of batch.waiters.values()) w.reject(err);
      } finally {
        this.writing -= batch.readings.length;
      }
    });
    return this.flushing;
  }

  /** A batch the store refused for its data: each reading alone, so one bad reading cannot cost the others. */
  private async oneByOne(batch: Pending): Promise<void> {
    for (const [i, reading] of batch.readings.entries()) {
      try {
        await this.opts.write([toRow(reading)]);
        this.written++;
        this.opts.stored?.([reading]);
        batch.waiters.get(i)?.resolve();
      } catch (err) {
        this.failed++;
        this.opts.logger.error({ err, deviceId: reading.deviceId }, 'telemetry reading not stored');
        batch.waiters.get(i)?.reject(err);
      }
    }
  }
}

const toRow = ({ deviceId, ts, port, metrics }: Reading): RawRow => ({ deviceId, ts, port, metrics });
