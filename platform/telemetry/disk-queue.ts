// A bounded FIFO of batches on disk, so readings outlive an archive outage and a restart.
// Segment files are append-only, one batch per line (`<count> <json>\n`); a small `head` file,
// replaced atomically, says where the oldest unacknowledged batch starts. Each open appends to a
// fresh segment, so earlier segments are never written again and a torn line stays where it is.
import {
  closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, truncateSync, writeFileSync, writeSync,
} from 'node:fs';
import { join } from 'node:path';

export interface DiskQueueOptions {
  /** Most items kept; pushing past it drops the oldest. */
  maxReadings: number;
  /** A new segment file is started once the current one is this big. */
  segmentBytes?: number;
  /** Told every time items are dropped: for the bound, or because a record on disk was unreadable. */
  onDrop?: (count: number, reason: DropReason) => void;
}

export type DropReason = 'queue-full' | 'corrupt-record';

interface Entry {
  segment: number;
  offset: number;
  length: number;
  count: number;
}

/** Where the oldest live batch starts, and how many of its items the bound already dropped. */
interface Head {
  segment: number;
  offset: number;
  skip: number;
}

const SEGMENT_NAME = /^(\d{12})\.seg$/;
const DEFAULT_SEGMENT_BYTES = 8 * 1024 * 1024;
const NEWLINE = 0x0a;

export class DiskQueue<T> {
  private entries: Entry[] = [];
  /** Index of the oldest live entry in `entries` (compacted now and then). */
  private first = 0;
  private skip = 0;
  private live = 0;
  /** peek() handed the head out and it is being written: the bound may not drop it meanwhile. */
  private held = false;
  private cached: { entry: Entry; items: T[] } | null = null;
  private tail: number;
  private tailFd: number | null = null;
  private tailSize = 0;
  private oldestOnDisk: number;
  private closed = false;
  private droppedCount = 0;
  private corruptCount = 0;
  private readonly segmentBytes: number;

  private constructor(private readonly dir: string, private readonly opts: DiskQueueOptions, scan: Scan) {
    this.segmentBytes = opts.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    this.entries = scan.entries;
    this.skip = scan.skip;
    this.live = scan.entries.reduce((n, e) => n + e.count, 0) - scan.skip;
    this.tail = scan.nextSegment;
    this.oldestOnDisk = scan.oldestOnDisk;
    this.corruptCount = scan.torn.records;
  }

  /** Opens (or creates) the queue in `dir`, finding what an earlier process left there. */
  static open<T>(dir: string, opts: DiskQueueOptions): DiskQueue<T> {
    if (!(opts.maxReadings > 0)) throw new Error(`maxReadings must be positive, not ${opts.maxReadings}`);
    mkdirSync(dir, { recursive: true });
    const scan = scanDir(dir);
    const queue = new DiskQueue<T>(dir, opts, scan);
    if (scan.torn.items > 0) queue.noteDropped(scan.torn.items, 'corrupt-record');
    queue.persistHead();
    queue.enforceBound();
    return queue;
  }

  /** Items queued (those of a half-dropped oldest batch not counted). */
  depth(): number {
    return this.live;
  }

  /** Items dropped since open: past the bound, or in records found torn or unreadable. */
  get dropped(): number {
    return this.droppedCount;
  }

  /** Records skipped because they were torn (a crash mid-append) or unreadable. */
  get corruptRecords(): number {
    return this.corruptCount;
  }

  /** Appends a batch; drops the oldest items if the queue would exceed its bound. */
  push(batch: readonly T[]): void {
    this.assertOpen();
    if (batch.length === 0) return;
    const line = Buffer.from(`${batch.length} ${JSON.stringify(batch)}\n`);
    if (this.tailFd === null || this.tailSize >= this.segmentBytes) this.rotate();
    const fd = this.tailFd!;
    try {
      writeAll(fd, line);
    } catch (err) {
      // A partial line may be on disk: cut it off if we can, and never append after it.
      try { ftruncateSync(fd, this.tailSize); } catch { /* the next open skips it as torn */ }
      closeSync(fd);
      this.tailFd = null;
      this.tail++;
      this.tailSize = 0;
      throw err;
    }
    this.entries.push({ segment: this.tail, offset: this.tailSize, length: line.length, count: batch.length });
    this.tailSize += line.length;
    this.live += batch.length;
    this.enforceBound();
  }

  /** The oldest batch (what the bound left of it), or null when empty. It stays queued until ack(). */
  peek(): T[] | null {
    this.assertOpen();
    for (;;) {
      const entry = this.entries[this.first];
      if (!entry) return null;
      this.held = true;
      if (this.cached?.entry !== entry) {
        const items = this.read(entry);
        if (!items) {
          const remaining = entry.count - this.skip;
          this.held = false;
          this.corruptCount++;
          this.removeHead();
          this.noteDropped(remaining, 'corrupt-record');
          continue;
        }
        this.cached = { entry, items };
      }
      return this.skip > 0 ? this.cached.items.slice(this.skip) : this.cached.items;
    }
  }

  /** Drops the batch peek() returned: it has been written. */
  ack(): void {
    this.assertOpen();
    if (!this.held) throw new Error('ack() without peek()');
    this.held = false;
    this.removeHead();
    this.enforceBound();
  }

  /** The batch peek() returned could not be written: it stays first in line. */
  release(): void {
    this.held = false;
    if (!this.closed) this.enforceBound();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.tailFd !== null) closeSync(this.tailFd);
    this.tailFd = null;
    this.cached = null;
  }

  private enforceBound(): void {
    let excess = this.live - this.opts.maxReadings;
    if (excess <= 0 || this.held) return;
    const before = this.live;
    while (excess > 0) {
      const entry = this.entries[this.first]!;
      const remaining = entry.count - this.skip;
      if (remaining <= excess) {
        this.removeHead(false);
        excess -= remaining;
      } else {
        this.skip += excess;
        this.live -= excess;
        excess = 0;
      }
    }
    this.persistHead();
    this.deleteConsumedSegments();
    this.noteDropped(before - this.live, 'queue-full');
  }

  private removeHead(persist = true): void {
    const entry = this.entries[this.first]!;
    this.live -= entry.count - this.skip;
    this.skip = 0;
    this.first++;
    if (this.cached?.entry === entry) this.cached = null;
    if (this.first > 1024 && this.first * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.first);
      this.first = 0;
    }
    if (persist) {
      this.persistHead();
      this.deleteConsumedSegments();
    }
  }

  private noteDropped(count: number, reason: DropReason): void {
    if (count <= 0) return;
    this.droppedCount += count;
    this.opts.onDrop?.(count, reason);
  }

  private head(): Head {
    const entry = this.entries[this.first];
    if (entry) return { segment: entry.segment, offset: entry.offset, skip: this.skip };
    return { segment: this.tail, offset: this.tailSize, skip: 0 };
  }

  /** Written to a temporary file and renamed over the old one: a crash leaves the old or the new. */
  private persistHead(): void {
    const path = join(this.dir, 'head');
    writeFileSync(`${path}.tmp`, JSON.stringify(this.head()));
    renameSync(`${path}.tmp`, path);
  }

  /** Segments wholly before the head are done with; the head is persisted before they go. */
  private deleteConsumedSegments(): void {
    const { segment } = this.head();
    for (; this.oldestOnDisk < segment; this.oldestOnDisk++) {
      if (this.oldestOnDisk === this.tail) break;
      rmSync(segmentPath(this.dir, this.oldestOnDisk), { force: true });
    }
  }

  /** Opens the tail segment, or starts the next one when it is full. Numbers only ever grow. */
  private rotate(): void {
    if (this.tailFd !== null) {
      closeSync(this.tailFd);
      this.tailFd = null;
      this.tail++;
      this.tailSize = 0;
    }
    this.tailFd = openSync(segmentPath(this.dir, this.tail), 'a');
    this.tailSize = 0;
  }

  private read(entry: Entry): T[] | null {
    const buf = Buffer.alloc(entry.length);
    let fd: number;
    try {
      fd = openSync(segmentPath(this.dir, entry.segment), 'r');
    } catch {
      return null;
    }
    try {
      let done = 0;
      while (done < entry.length) {
        const n = readSync(fd, buf, done, entry.length - done, entry.offset + done);
        if (n === 0) return null;
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    const record = parseRecord(buf.subarray(0, buf.length - 1));
    if (!record || record.count !== entry.count) return null;
    try {
      const items: unknown = JSON.parse(record.json);
      return Array.isArray(items) && items.length === entry.count ? (items as T[]) : null;
    } catch {
      return null;
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('disk queue is closed');
  }
}

interface Scan {
  entries: Entry[];
  skip: number;
  nextSegment: number;
  oldestOnDisk: number;
  torn: { records: number; items: number };
}

/** Rebuilds the index from the segment files, from the persisted head on. */
function scanDir(dir: string): Scan {
  rmSync(join(dir, 'head.tmp'), { force: true });
  const head = readHead(dir);
  const segments = readdirSync(dir)
    .map((name) => SEGMENT_NAME.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
  const entries: Entry[] = [];
  const torn = { records: 0, items: 0 };
  let skip = 0;
  let oldestOnDisk = Number.POSITIVE_INFINITY;
  for (const segment of segments) {
    if (head && segment < head.segment) {
      rmSync(segmentPath(dir, segment), { force: true });
      continue;
    }
    oldestOnDisk = Math.min(oldestOnDisk, segment);
    const data = readFileSync(segmentPath(dir, segment));
    let pos = head && segment === head.segment ? Math.min(head.offset, data.length) : 0;
    if (head && segment === head.segment && pos === head.offset) skip = head.skip;
    while (pos < data.length) {
      const end = data.indexOf(NEWLINE, pos);
      const record = parseRecord(data.subarray(pos, end === -1 ? data.length : end));
      if (end === -1) {
        // A crash mid-append leaves the last line without its newline: count what it held and cut
        // it off, so that the next open does not count it again.
        torn.records++;
        torn.items += record?.count ?? 0;
        truncateSync(segmentPath(dir, segment), pos);
        break;
      }
      if (!record) {
        torn.records++;
      } else {
        entries.push({ segment, offset: pos, length: end + 1 - pos, count: record.count });
      }
      pos = end + 1;
    }
  }
  if (entries[0] && head && (entries[0].segment !== head.segment || entries[0].offset !== head.offset)) skip = 0;
  if (entries[0]) skip = Math.min(skip, entries[0].count - 1);
  const last = Math.max(segments.at(-1) ?? 0, head?.segment ?? 0);
  return {
    entries,
    skip,
    nextSegment: last + 1,
    oldestOnDisk: Number.isFinite(oldestOnDisk) ? oldestOnDisk : last + 1,
    torn,
  };
}

function readHead(dir: string): Head | null {
  try {
    const head = JSON.parse(readFileSync(join(dir, 'head'), 'utf8')) as Partial<Head>;
    const ok = [head.segment, head.offset, head.skip].every((n) => Number.isSafeInteger(n) && (n as number) >= 0);
    // An unreadable head means starting from the oldest segment: batches may be sent twice, never lost.
    return ok ? (head as Head) : null;
  } catch {
    return null;
  }
}

/** `<count> <json>`: the count first, so a torn record still says how many items it held. */
function parseRecord(line: Buffer): { count: number; json: string } | null {
  const space = line.indexOf(0x20);
  if (space <= 0 || space > 10) return null;
  const count = Number(line.subarray(0, space).toString('latin1'));
  if (!Number.isSafeInteger(count) || count <= 0) return null;
  return { count, json: line.subarray(space + 1).toString('utf8') };
}

function segmentPath(dir: string, segment: number): string {
  return join(dir, `${String(segment).padStart(12, '0')}.seg`);
}

function writeAll(fd: number, buf: Buffer): void {
  let done = 0;
  while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done);
}
