// The InfluxDB archive: every reading is copied to InfluxDB as line protocol on /api/v2/write.
// write() only appends to memory and, once a batch is full, to the on-disk queue as line protocol
// (written once, so a batch is not turned to JSON and back on its way); one sender writes the
// queue's oldest batch at a time and drops it only when InfluxDB has said 2xx, so batches arrive
// in order and each is retried (with back-off) until it is accepted.
import { escape, HttpError, InfluxDB, type Transport } from '@influxdata/influxdb-client';
import type { Logger } from 'pino';
import { DiskQueue, type DropReason } from './disk-queue.js';
import type { ArchiveSink, ArchiveStatus, Reading } from './types.js';

export interface InfluxArchiveOptions {
  url: string;
  token: string;
  org: string;
  bucket: string;
  /** Directory of the on-disk queue; it keeps what was not yet written across restarts. */
  dataDir: string;
  /** Bound of the queue, in readings; past it the oldest are dropped (counted and logged). */
  maxQueuedReadings: number;
  logger: Logger;
  /** Readings per request. */
  batchSize?: number;
  /** How long a reading may wait in memory for its batch to fill. */
  flushMs?: number;
  /** Gives up on one request after this long (it is then retried). */
  requestTimeoutMs?: number;
  /** close() stops trying after this long; what is left stays on disk. */
  closeTimeoutMs?: number;
}

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;
const DROP_LOG_EVERY_MS = 10_000;

export function createInfluxArchive(opts: InfluxArchiveOptions): ArchiveSink {
  return new InfluxArchive(opts);
}

class InfluxArchive implements ArchiveSink {
  private readonly log: Logger;
  /** Line protocol, a point per item (queues written before 2026-12 hold the readings themselves). */
  private readonly queue: DiskQueue<string | Reading>;
  private readonly transport: Transport;
  private readonly writePath: string;
  private readonly batchSize: number;
  private readonly flushMs: number;
  private readonly closeTimeoutMs: number;
  private pending: Reading[] = [];
  private flushTimer: NodeJS.Timeout | null = null;
  private stageSoon: NodeJS.Immediate | null = null;
  private state: ArchiveStatus['state'] = 'up';
  private written = 0;
  /** For any reason: the queue's bound, rejected by the server, unusable, lost to a disk error. */
  private dropped = 0;
  private lastError: string | null = null;
  private readonly dropLog = new Map<string, { unlogged: number; timer: NodeJS.Timeout | null }>();
  /** Resolves the sender's wait (for work, or out of a back-off). */
  private wake: (() => void) | null = null;
  private closing: { deadline: number } | null = null;
  /** Aborted when close() runs out of time: the batch in flight then stays queued. */
  private readonly abort = new AbortController();
  private closed: Promise<void> | null = null;
  private readonly sender: Promise<void>;

  constructor(private readonly opts: InfluxArchiveOptions) {
    this.log = opts.logger.child({ component: 'influx-archive' });
    this.batchSize = opts.batchSize ?? 5000;
    this.flushMs = opts.flushMs ?? 200;
    this.closeTimeoutMs = opts.closeTimeoutMs ?? 5000;
    this.queue = DiskQueue.open<string | Reading>(opts.dataDir, {
      maxReadings: opts.maxQueuedReadings,
      onDrop: (count, reason) => this.noteDropped(count, reason),
    });
    if (this.queue.corruptRecords > 0) {
      this.log.warn({ records: this.queue.corruptRecords, dataDir: opts.dataDir }, 'skipped torn or unreadable records in the archive queue');
    }
    if (this.queue.depth() > 0) {
      this.log.info({ queueDepth: this.queue.depth() }, 'archive queue found on disk; replaying it in order');
    }
    this.transport = new InfluxDB({ url: opts.url, token: opts.token, timeout: opts.requestTimeoutMs ?? 10_000 }).transport;
    const query = new URLSearchParams({ org: opts.org, bucket: opts.bucket, precision: 'ms' });
    this.writePath = `/api/v2/write?${query}`;
    this.sender = this.send();
  }

  write(readings: readonly Reading[]): void {
    if (this.closing) {
      this.noteDropped(readings.length, 'after-close');
      return;
    }
    for (const r of readings) this.pending.push(r);
    // Full batches go to disk just after this turn of the event loop, not inside the caller's
    // write(); only a burst that never lets the loop turn is staged here, to bound memory.
    if (this.pending.length >= 4 * this.batchSize) this.stage(this.batchSize);
    if (this.pending.length >= this.batchSize) this.stageSoon ??= setImmediate(() => this.stage(this.batchSize));
    else if (this.pending.length > 0) this.flushTimer ??= setTimeout(() => this.stage(), this.flushMs).unref();
  }

  status(): ArchiveStatus {
    return {
      kind: 'influxdb',
      state: this.state,
      queueDepth: this.queue.depth() + this.pending.length,
      written: this.written,
      dropped: this.dropped,
      lastError: this.lastError,
    };
  }

  close(): Promise<void> {
    return (this.closed ??= this.shutDown());
  }

  private async shutDown(): Promise<void> {
    this.stage();
    this.closing = { deadline: Date.now() + this.closeTimeoutMs };
    const timer = setTimeout(() => this.abort.abort(), this.closeTimeoutMs).unref();
    this.wake?.();
    await this.sender;
    clearTimeout(timer);
    for (const [reason, entry] of this.dropLog) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.timer = null;
      this.logDrops(reason, entry);
    }
    const left = this.queue.depth();
    this.queue.close();
    this.log.info({ queueDepth: left, written: this.written }, left > 0 ? 'archive closed; the rest stays queued on disk' : 'archive closed');
  }

  /** Moves what is in memory to the disk queue, in batches (all of them, or only full ones), and tells the sender. */
  private stage(minBatch = 1): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.stageSoon) clearImmediate(this.stageSoon);
    this.flushTimer = null;
    this.stageSoon = null;
    while (this.pending.length >= minBatch && this.pending.length > 0) {
      const readings = this.pending.length <= this.batchSize ? this.pending : this.pending.slice(0, this.batchSize);
      this.pending = readings === this.pending ? [] : this.pending.slice(this.batchSize);
      const batch = pointsOf(readings);
      this.noteDropped(readings.length - batch.length, 'unusable');
      try {
        this.queue.push(batch);
      } catch (err) {
        this.lastError = `archive queue: ${(err as Error).message}`;
        this.log.error({ err, dataDir: this.opts.dataDir }, 'could not append to the archive queue');
        this.noteDropped(batch.length, 'disk-error');
      }
    }
    if (this.pending.length > 0 && !this.closing) this.flushTimer = setTimeout(() => this.stage(), this.flushMs).unref();
    this.wake?.();
  }

  /** The one sender: the oldest batch first, dropped from the queue only once it is accepted. */
  private async send(): Promise<void> {
    let backoff = RETRY_MIN_MS;
    for (;;) {
      if (this.closing && (this.queue.depth() === 0 || Date.now() >= this.closing.deadline)) return;
      try {
        const batch = this.queue.peek();
        if (!batch) {
          await this.sleep(null);
          continue;
        }
        const outcome = await this.post(batch);
        this.queue.ack();
        backoff = RETRY_MIN_MS;
        this.noteDropped(batch.length - outcome.points, outcome.rejected ? 'rejected' : 'unusable');
        if (outcome.rejected) continue;
        this.written += outcome.points;
        if (this.state === 'down') this.log.info({ queueDepth: this.queue.depth() }, 'archive is back up; replaying the queue');
        this.state = 'up';
        this.lastError = null;
      } catch (err) {
        this.queue.release();
        this.lastError = describe(err);
        if (this.state === 'up') this.log.warn({ err: this.lastError, queueDepth: this.queue.depth() }, 'archive is down; readings are queued on disk');
        this.state = 'down';
        if (this.closing) return;
        const retryAfter = err instanceof HttpError ? err.retryAfter() : 0;
        await this.sleep(Math.min(RETRY_MAX_MS, Math.max(backoff, retryAfter)));
        backoff = Math.min(RETRY_MAX_MS, backoff * 2);
      }
    }
  }

  /**
   * Writes one batch. A batch the server refuses as such (bad data) is reported, not thrown:
   * retrying it would block the queue for good.
   */
  private async post(batch: readonly (string | Reading)[]): Promise<{ points: number; rejected: boolean }> {
    const lines = pointsOf(batch);
    if (lines.length === 0) return { points: 0, rejected: false };
    // A signal per request: the client leaves its listener on the signal it is given.
    const request = new AbortController();
    const abort = () => request.abort();
    this.abort.signal.addEventListener('abort', abort);
    try {
      await this.transport.request(this.writePath, lines.join('\n'), {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        gzipThreshold: 1000,
        signal: request.signal,
      });
      return { points: lines.length, rejected: false };
    } catch (err) {
      if (!(err instanceof HttpError && isRejection(err.statusCode))) throw err;
      this.lastError = describe(err);
      this.log.error({ err: this.lastError, readings: batch.length }, 'archive rejected a batch of readings');
      return { points: 0, rejected: true };
    } finally {
      this.abort.signal.removeEventListener('abort', abort);
    }
  }

  /** Waits for work (ms null) or out a back-off; close() and new batches cut it short. */
  private sleep(ms: number | null): Promise<void> {
    if (this.closing) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = ms === null ? null : setTimeout(done, ms).unref();
      const self = this;
      function done(): void {
        if (timer) clearTimeout(timer);
        self.wake = null;
        resolve();
      }
      // While down, new batches wait for the back-off to end; only close() cuts it short.
      this.wake = ms === null ? done : () => { if (this.closing) done(); };
    });
  }

  /** Counted always; logged at once, then at most every 10 s per reason while it goes on. */
  private noteDropped(count: number, reason: DropReason | 'rejected' | 'unusable' | 'disk-error' | 'after-close'): void {
    if (count <= 0) return;
    this.dropped += count;
    let entry = this.dropLog.get(reason);
    if (!entry) this.dropLog.set(reason, (entry = { unlogged: 0, timer: null }));
    entry.unlogged += count;
    if (entry.timer) return;
    const flush = (e: { unlogged: number; timer: NodeJS.Timeout | null }) => {
      e.timer = null;
      if (e.unlogged === 0) return;
      this.logDrops(reason, e);
      e.timer = setTimeout(() => flush(e), DROP_LOG_EVERY_MS).unref();
    };
    flush(entry);
  }

  private logDrops(reason: string, entry: { unlogged: number }): void {
    if (entry.unlogged === 0) return;
    const why: Record<string, string> = {
      'queue-full': 'archive queue full: dropped the oldest readings',
      'corrupt-record': 'dropped readings from a torn or unreadable record of the archive queue',
      rejected: 'dropped readings the archive rejected',
      unusable: 'dropped readings with no device id or no numeric or boolean metric to archive',
      'disk-error': 'dropped readings the archive queue could not store',
      'after-close': 'dropped readings written after the archive was closed',
    };
    this.log.warn({ reason, dropped: entry.unlogged, droppedTotal: this.dropped, maxQueuedReadings: this.opts.maxQueuedReadings }, why[reason] ?? 'dropped readings');
    entry.unlogged = 0;
  }
}

/**
 * One point: measurement per device family, tags device/port/region/site (sorted, as InfluxDB
 * prefers), the metrics as float or boolean fields, ms timestamp. Nothing random is added, so a
 * batch sent twice (its response lost) overwrites the same points instead of adding new ones.
 */
export function toLineProtocol(r: Reading): string | null {
  let fields = '';
  for (const key in r.metrics) {
    const value = r.metrics[key];
    if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) {
      fields += `${fields ? ',' : ''}${tag(key)}=${String(value)}`;
    }
  }
  if (fields === '' || !r.deviceId || !Number.isFinite(r.ts)) return null;
  let line = `${escape.measurement(r.family)},device=${tag(r.deviceId)}`;
  if (r.port !== null && r.port !== undefined) line += `,port=${r.port}`;
  // InfluxDB has no empty tag values: an empty one is left out.
  if (r.regionCode) line += `,region=${tag(r.regionCode)}`;
  if (r.siteId) line += `,site=${tag(r.siteId)}`;
  return `${line} ${fields} ${Math.round(r.ts)}`;
}

/** The points of `items` (readings, or points already), the readings with nothing to archive left out. */
function pointsOf(items: readonly (string | Reading)[]): string[] {
  const points: string[] = [];
  for (const item of items) {
    const point = typeof item === 'string' ? item : toLineProtocol(item);
    if (point !== null) points.push(point);
  }
  return points;
}

/** Text a tag key or value needs no escaping for: no comma, equals sign, space, backslash or line break. */
const PLAIN = /^[^,= \\\n\r\t]*$/;

/** The client's escaping plus backslashes, which would otherwise escape the character after them. */
function tag(text: string): string {
  return PLAIN.test(text) ? text : escape.tag(text.replaceAll('\\', '\\\\'));
}

/** Statuses that say the data itself is wrong (bad line protocol, type conflict, too large). */
function isRejection(status: number): boolean {
  return status === 400 || status === 413 || status === 422;
}

function describe(err: unknown): string {
  if (err instanceof HttpError) return `HTTP ${err.statusCode}: ${err.body || err.statusMessage || err.message}`;
  const e = err as { code?: string; message?: string };
  return [e.code, e.message].filter(Boolean).join(': ') || String(err);
}
