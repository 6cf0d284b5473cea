// The streaming side of the GB/T 26875.3 codec: bytes as TCP delivers them (a frame split over reads, several
// frames in one read, noise before a start marker) in, whole frames and bad ones out. Holds at most one frame's
// worth of unread bytes: a declared length over the cap is refused at once, never waited for.
import { decodeFrame, declaredLength, FRAME_OVERHEAD, MAX_DATA_BYTES, START, type Frame, type FrameProblem } from './frame.js';

export type ReadResult =
  | { kind: 'frame'; frame: Frame; size: number }
  | { kind: 'bad'; problem: FrameProblem; size: number };

/** Bytes needed to read a header's length field. */
const LENGTH_END = 26;
const EMPTY = new Uint8Array(0);

export class FrameReader {
  private pending: Uint8Array = EMPTY;
  /** Bytes dropped while looking for a start marker (`40 40`). */
  skipped = 0;

  /** Bytes held waiting for the rest of a frame (never more than one frame's worth). */
  get buffered(): number {
    return this.pending.length;
  }

  push(chunk: Uint8Array): ReadResult[] {
    const bytes = this.pending.length === 0 ? chunk : concat(this.pending, chunk);
    const out: ReadResult[] = [];
    let i = 0;
    for (;;) {
      const start = findStart(bytes, i);
      if (start < 0) {
        // keep a trailing 40: it may be the first half of the next start marker
        const keep = bytes.length > i && bytes[bytes.length - 1] === START ? 1 : 0;
        this.skipped += bytes.length - i - keep;
        i = bytes.length - keep;
        break;
      }
      this.skipped += start - i;
      i = start;
      if (bytes.length - i < LENGTH_END) break;
      const length = declaredLength(bytes, i);
      if (length > MAX_DATA_BYTES) {
        out.push({ kind: 'bad', problem: 'bad_length', size: LENGTH_END });
        i += 1; // past this marker only: the next byte may begin a real one
        continue;
      }
      const size = FRAME_OVERHEAD + length;
      if (bytes.length - i < size) break;
      const decoded = decodeFrame(bytes, i);
      if (decoded.ok) {
        out.push({ kind: 'frame', frame: decoded.frame, size });
        i += size;
      } else {
        out.push({ kind: 'bad', problem: decoded.problem, size });
        i += 1; // the declared length is not to be trusted: look for the next marker from here
      }
    }
    this.pending = i >= bytes.length ? EMPTY : bytes.slice(i);
    return out;
  }
}

function findStart(bytes: Uint8Array, from: number): number {
  for (let i = bytes.indexOf(START, from); i >= 0 && i + 1 < bytes.length; i = bytes.indexOf(START, i + 1)) {
    if (bytes[i + 1] === START) return i;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
